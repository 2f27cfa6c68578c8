//! The buttons a bot or an agent puts under a message: text and action buttons that answer for
//! the visitor, and link buttons (a new tab, the host page, or a page inside the widget).

use leptos::prelude::*;
use serde_json::Value;
use tiledesk_protocol::urls::is_web_url;

use crate::chat::Chat;

/// Buttons of `attributes.attachment` (or of a gallery's card): text and action buttons only while
/// their message (`key`) is the last; link buttons always, a `self` one opening inside the widget.
#[component]
pub fn ButtonRow(buttons: Vec<Value>, key: String) -> impl IntoView {
    let chat = expect_context::<Chat>();
    let last = Memo::new(move |_| {
        chat.conversations
            .open
            .lines
            .with(|c| c.lines().last().is_some_and(|line| line.key == key))
    });
    move || {
        let last = last.get();
        let views = buttons
            .iter()
            .filter_map(|button| {
                let label = button.get("value")?.as_str()?.to_owned();
                match button.get("type").and_then(Value::as_str).unwrap_or("text") {
                    "url" => {
                        let link = button.get("link")?.as_str().filter(|l| is_web_url(l))?.to_owned();
                        let target = match button.get("target").and_then(Value::as_str) {
                            // As Tiledesk's in-widget frame: the widget's own iframe never navigates away.
                            Some("self") => {
                                return Some(view! {
                                    <button type="button" class="tdw-button" data-testid="open-in-widget" on:click=move |_| chat.panel.web_page.set(Some(link.clone()))>
                                        {label.clone()}
                                    </button>
                                }
                                .into_any());
                            }
                            Some("parent") => "_top",
                            _ => "_blank",
                        };
                        Some(view! { <a class="tdw-button" href=link target=target rel="noopener noreferrer">{label}</a> }.into_any())
                    }
                    "action" if last => {
                        let action = button.get("action")?.as_str()?.to_owned();
                        let echo = button.get("show_echo").and_then(serde_json::Value::as_bool).unwrap_or(false);
                        Some(view! {
                            <button type="button" class="tdw-button" on:click=move |_| chat.sending.send_action(label.clone(), action.clone(), echo)>
                                {label.clone()}
                            </button>
                        }
                        .into_any())
                    }
                    "text" if last => Some(view! {
                        <button type="button" class="tdw-button" on:click=move |_| chat.sending.send(label.clone())>{label.clone()}</button>
                    }
                    .into_any()),
                    _ => None,
                }
            })
            .collect::<Vec<_>>();
        (!views.is_empty())
            .then(|| view! { <div class="tdw-buttons" data-testid="buttons">{views}</div> })
    }
}
