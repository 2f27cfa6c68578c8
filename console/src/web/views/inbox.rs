//! The inbox: filters, and the conversations they list, newest activity first, with unread counts.

use leptos::prelude::*;
use tiledesk_protocol::RequestStatus;

use crate::core::inbox::{self, Filter};
use crate::core::visitor::visitor;
use crate::web::state::Console;

/// One row of the list.
#[derive(Clone, PartialEq)]
struct Row {
    rid: String,
    name: String,
    preview: String,
    activity: String,
    unread: usize,
    status: i32,
}

/// The filters and the conversation list.
#[component]
pub fn Inbox() -> impl IntoView {
    let console = expect_context::<Console>();
    let rows = Memo::new(move |_| {
        let filter = console.filter.get();
        let me = console.me();
        let seen = console.seen.get();
        console.messages.with(|messages| {
            console.requests.with(|requests| {
                let mut rows: Vec<Row> = requests
                    .values()
                    .filter(|r| filter.matches(r, &me))
                    .map(|r| {
                        let list = messages
                            .get(&r.request_id)
                            .map(Vec::as_slice)
                            .unwrap_or_default();
                        Row {
                            rid: r.request_id.clone(),
                            name: visitor(r).name,
                            preview: inbox::preview(r, list),
                            activity: inbox::last_activity(r, list),
                            unread: inbox::unread(
                                list,
                                &me,
                                seen.get(&r.request_id).map(String::as_str),
                            ),
                            status: r.status,
                        }
                    })
                    .collect();
                rows.sort_by(|a, b| b.activity.cmp(&a.activity));
                rows
            })
        })
    });
    view! {
        <section class="tdc-inbox" aria-labelledby="tdc-inbox-title">
            <h2 id="tdc-inbox-title" class="tdc-sr">"Conversations"</h2>
            <div class="tdc-filters" role="group" aria-label="Show">
                {Filter::ALL.into_iter().map(|filter| view! {
                    <button type="button" class="tdc-filter" data-testid=format!("filter-{}", filter.key())
                        aria-pressed=move || (console.filter.get() == filter).to_string()
                        on:click=move |_| console.set_filter(filter)>
                        {filter.label()}
                    </button>
                }).collect_view()}
            </div>
            <Show when=move || !rows.with(Vec::is_empty)
                fallback=|| view! { <p class="tdc-empty" data-testid="inbox-empty">"No conversations here."</p> }>
                <ul class="tdc-list" data-testid="conversations">
                    <For each=move || rows.get() key=|row| (row.rid.clone(), row.unread, row.preview.clone(), row.status) let:row>
                        <ConversationRow row=row />
                    </For>
                </ul>
            </Show>
        </section>
    }
}

#[component]
fn ConversationRow(row: Row) -> impl IntoView {
    let console = expect_context::<Console>();
    let rid = row.rid.clone();
    let selected = {
        let rid = rid.clone();
        move || {
            console
                .selected
                .with(|s| s.as_deref() == Some(rid.as_str()))
        }
    };
    let status = match row.status {
        RequestStatus::UNASSIGNED => "Unassigned",
        s if s >= RequestStatus::CLOSED => "Closed",
        _ => "Assigned",
    };
    let unread = row.unread;
    view! {
        <li>
            <button type="button" class="tdc-row" data-testid="conversation" data-request=rid.clone()
                aria-current=move || selected().then_some("true")
                on:click=move |_| console.select(rid.clone())>
                <span class="tdc-row-top">
                    <span class="tdc-row-name">{row.name}</span>
                    <time class="tdc-muted" datetime=row.activity.clone()>{short_time(&row.activity)}</time>
                </span>
                <span class="tdc-row-preview">{row.preview}</span>
                <span class="tdc-row-bottom">
                    <span class="tdc-tag">{status}</span>
                    {(unread > 0).then(|| view! {
                        <span class="tdc-unread" data-testid="unread">{unread}<span class="tdc-sr">" unread"</span></span>
                    })}
                </span>
            </button>
        </li>
    }
}

/// `HH:MM` today, else the day and month, in local time.
pub fn short_time(iso: &str) -> String {
    if iso.is_empty() {
        return String::new();
    }
    let date = js_sys::Date::new(&iso.into());
    let today = js_sys::Date::new_0();
    if date.to_date_string() == today.to_date_string() {
        format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
    } else {
        format!("{} {}", date.get_date(), month(date.get_month()))
    }
}

fn month(index: u32) -> &'static str {
    [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .get(index as usize)
    .copied()
    .unwrap_or_default()
}
