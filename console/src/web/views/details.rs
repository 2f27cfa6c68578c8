//! The visitor's details beside a conversation: name, email, page, browser, language,
//! department, pre-chat answers and attributes, and their earlier conversations.

use leptos::prelude::*;
use tiledesk_protocol::{Request, RequestStatus};

use super::inbox::short_time;
use crate::core::visitor::visitor;
use crate::web::state::Console;

/// The side panel for `request`'s visitor.
#[component]
pub fn Details(request: Request) -> impl IntoView {
    let console = expect_context::<Console>();
    let v = visitor(&request);
    let current = request.request_id.clone();
    let lead = v.lead_id.clone();
    let earlier = LocalResource::new(move || {
        let lead = lead.clone();
        async move {
            match lead {
                Some(lead) => console.conversations_of(lead).await,
                None => Vec::new(),
            }
        }
    });
    let field = |label: &'static str, value: Option<String>| {
        value.map(|value| view! { <dt>{label}</dt><dd>{value}</dd> })
    };
    let page = v.page.clone().map(|page| {
        let href = page.clone();
        let safe = href.starts_with("http://") || href.starts_with("https://");
        view! {
            <dt>"Page"</dt>
            <dd>{if safe {
                view! { <a href=href target="_blank" rel="noopener noreferrer">{page}</a> }.into_any()
            } else {
                page.into_any()
            }}</dd>
        }
    });
    view! {
        <aside class="tdc-details" aria-labelledby="tdc-details-title" data-testid="details">
            <h2 id="tdc-details-title">"Visitor"</h2>
            <dl>
                <dt>"Name"</dt><dd data-testid="visitor-name">{v.name.clone()}</dd>
                {field("Email", v.email.clone())}
                {page}
                {field("Browser", v.browser.clone())}
                {field("Language", v.language.clone())}
                {field("Department", v.department.clone())}
            </dl>
            {(!v.answers.is_empty()).then(|| view! {
                <h3>"Answers and attributes"</h3>
                <dl data-testid="answers">
                    {v.answers.iter().map(|(k, value)| view! { <dt>{k.clone()}</dt><dd>{value.clone()}</dd> }).collect_view()}
                </dl>
            })}
            <h3>"Conversations"</h3>
            <Suspense fallback=|| view! { <p class="tdc-muted">"Loading…"</p> }>
                {move || {
                    let current = current.clone();
                    earlier.get().map(|list| {
                        let others: Vec<Request> = list.into_iter().filter(|r| r.request_id != current).collect();
                        if others.is_empty() {
                            return view! { <p class="tdc-muted" data-testid="no-earlier">"No other conversation."</p> }.into_any();
                        }
                        view! {
                            <ul class="tdc-plain" data-testid="earlier">
                                {others.into_iter().map(|r| {
                                    let rid = r.request_id.clone();
                                    let state = if r.status >= RequestStatus::CLOSED { "closed" } else { "open" };
                                    view! {
                                        <li>
                                            <button type="button" class="tdc-link" data-testid="earlier-conversation"
                                                on:click=move |_| console.select(rid.clone())>
                                                {format!("{} · {} · {}", short_time(&r.created_at), state, r.first_text)}
                                            </button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    })
                }}
            </Suspense>
        </aside>
    }
}
