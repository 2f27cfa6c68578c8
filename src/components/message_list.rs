//! The conversation's messages: day separators, who wrote each and when, how far its delivery got,
//! and the rich kinds (markdown text, images, files, embedded apps, info lines, buttons).

use leptos::prelude::*;
use serde_json::Value;

use super::rich_text::RichText;
use crate::chat::Chat;
use crate::conversation::{Delivery, Direction, Line};
use crate::i18n::Text;
use crate::urls::{is_image_url, is_web_url};

/// The list of messages, kept scrolled to the newest and announced to screen readers.
#[component]
pub fn MessageList() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let list = NodeRef::<leptos::html::Ol>::new();
    Effect::new(move |_| {
        chat.conversation.track();
        if let Some(list) = list.get() {
            request_animation_frame(move || list.set_scroll_top(list.scroll_height()));
        }
    });
    let rows = move || {
        chat.conversation.with(|c| {
            let lines = c.lines();
            let mut previous_day = None;
            lines
                .iter()
                .enumerate()
                .map(|(index, line)| {
                    let day = line.created_at.as_deref().map(local_day);
                    let separator = (day.is_some() && day != previous_day)
                        .then(|| day.clone().flatten())
                        .flatten();
                    if day.is_some() {
                        previous_day = day;
                    }
                    (line.clone(), separator, index + 1 == lines.len())
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <ol class="tdw-messages" data-testid="messages" aria-live="polite" aria-relevant="additions" node_ref=list>
            <Welcome />
            <For
                each=rows
                key=|(line, separator, last)| (line.key.clone(), line.delivery, separator.clone(), *last)
                let:row
            >
                {row.1.map(|day| view! { <li class="tdw-day">{day_label(chat, &day)}</li> })}
                <MessageItem line=row.0 last=row.2 />
            </For>
        </ol>
    }
}

/// The welcome title and message the website owner set, above the first message.
#[component]
fn Welcome() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let welcome = move || {
        chat.settings
            .with(|s| (s.welcome_title.clone(), s.welcome_msg.clone()))
    };
    move || {
        let (title, message) = welcome();
        (!title.is_empty() || !message.is_empty()).then(|| {
            view! {
                <li class="tdw-welcome" data-testid="welcome">
                    {(!title.is_empty()).then(|| view! { <strong>{title}</strong> })}
                    {(!message.is_empty()).then(|| view! { <span>{message}</span> })}
                </li>
            }
        })
    }
}

/// One message; a failed one offers to send it again.
#[component]
fn MessageItem(line: Line, last: bool) -> impl IntoView {
    let chat = expect_context::<Chat>();
    let subtype = line
        .attributes
        .as_ref()
        .and_then(|a| a.get("subtype"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    if subtype.starts_with("info") {
        return view! { <li class="tdw-info" data-testid="info">{line.text}</li> }.into_any();
    }
    let outgoing = line.direction == Direction::Outgoing;
    let sender = (!outgoing && !line.sender_name.is_empty())
        .then(|| view! { <span class="tdw-sender">{line.sender_name.clone()}</span> });
    let time = line.created_at.as_deref().map(local_time);
    let status = match line.delivery {
        Delivery::Sending => Some(
            view! { <span class="tdw-status">{move || chat.text(Text::Sending)}</span> }.into_any(),
        ),
        Delivery::Failed => {
            let client_id = line.key.clone();
            Some(
                view! {
                    <span class="tdw-status tdw-failed">
                        {move || chat.text(Text::NotSent)} " "
                        <button type="button" data-testid="retry" on:click=move |_| chat.retry(client_id.clone())>
                            {move || chat.text(Text::Retry)}
                        </button>
                    </span>
                }
                .into_any(),
            )
        }
        Delivery::Sent => {
            time.map(|time| view! { <time class="tdw-status">{time}</time> }.into_any())
        }
    };
    let buttons = line
        .attributes
        .as_ref()
        .and_then(|a| a.pointer("/attachment/buttons"))
        .and_then(Value::as_array)
        .map(|buttons| view! { <Buttons buttons=buttons.clone() last=last /> });
    let (kind, status_name) = (line.kind.clone(), line.delivery.as_str());
    view! {
        <li
            class="tdw-message"
            class:tdw-out=outgoing
            data-testid="message"
            data-status=status_name
            data-direction=if outgoing { "out" } else { "in" }
            data-type=kind
        >
            {sender}
            <Body line=line />
            {buttons}
            {status}
        </li>
    }
    .into_any()
}

/// What a message shows: its image, file, embedded app or markdown text.
#[component]
fn Body(line: Line) -> impl IntoView {
    let chat = expect_context::<Chat>();
    let meta = |key: &str| line.metadata.as_ref().and_then(|m| m.get(key)).cloned();
    let src = meta("src").and_then(|v| v.as_str().map(str::to_owned));
    let number = |key: &str| {
        meta(key)
            .and_then(|v| v.as_u64())
            .map(|n| n.min(4096).to_string())
    };
    let caption = (!line.text.is_empty() && line.kind != "text")
        .then(|| view! { <RichText text=line.text.clone() /> });
    match (line.kind.as_str(), src) {
        ("image", Some(src)) if is_image_url(&src) => view! {
            <div class="tdw-bubble tdw-media" data-testid="message-text">
                <img src=src alt=line.text.clone() width=number("width") height=number("height") loading="lazy" />
            </div>
        }
        .into_any(),
        ("file", Some(src)) if is_web_url(&src) => {
            let name = meta("name").and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_else(|| "file".into());
            let size = meta("size").and_then(|v| v.as_u64()).map(human_size);
            let download = name.clone();
            view! {
                <div class="tdw-bubble" data-testid="message-text">
                    <a class="tdw-file" href=src download=download target="_blank" rel="noopener noreferrer">
                        <span aria-hidden="true">"📄 "</span>
                        {name}
                        {size.map(|size| view! { <small>" · " {size}</small> })}
                        <span class="tdw-sr">" " {move || chat.text(Text::Download)}</span>
                    </a>
                    {caption}
                </div>
            }
            .into_any()
        }
        ("frame", Some(src)) if is_web_url(&src) => view! {
            <div class="tdw-bubble tdw-media" data-testid="message-text">
                <iframe
                    src=src
                    title=line.text.clone()
                    sandbox="allow-scripts allow-forms allow-popups allow-popups-to-escape-sandbox"
                    height=number("height").unwrap_or_else(|| "300".into())
                ></iframe>
            </div>
        }
        .into_any(),
        _ => view! {
            <div class="tdw-bubble tdw-text" data-testid="message-text">
                <RichText text=line.text />
            </div>
        }
        .into_any(),
    }
}

/// Buttons of `attributes.attachment`: text and action buttons only on the last message; link buttons always.
#[component]
fn Buttons(buttons: Vec<Value>, last: bool) -> impl IntoView {
    let chat = expect_context::<Chat>();
    let views = buttons
        .into_iter()
        .filter_map(|button| {
            let label = button.get("value")?.as_str()?.to_owned();
            match button.get("type").and_then(Value::as_str).unwrap_or("text") {
                "url" => {
                    let link = button.get("link")?.as_str().filter(|l| is_web_url(l))?.to_owned();
                    let target = match button.get("target").and_then(Value::as_str) {
                        Some("parent") => "_top",
                        Some("self") => "_self",
                        _ => "_blank",
                    };
                    Some(view! { <a class="tdw-button" href=link target=target rel="noopener noreferrer">{label}</a> }.into_any())
                }
                "action" if last => {
                    let action = button.get("action")?.as_str()?.to_owned();
                    Some(view! {
                        <button type="button" class="tdw-button" on:click=move |_| chat.send_action(label.clone(), action.clone())>
                            {label.clone()}
                        </button>
                    }
                    .into_any())
                }
                "text" if last => Some(view! {
                    <button type="button" class="tdw-button" on:click=move |_| chat.send(label.clone())>{label.clone()}</button>
                }
                .into_any()),
                _ => None,
            }
        })
        .collect::<Vec<_>>();
    (!views.is_empty())
        .then(|| view! { <div class="tdw-buttons" data-testid="buttons">{views}</div> })
}

/// `bytes` for people: 512 B, 1.5 KB, 3.2 MB.
fn human_size(bytes: u64) -> String {
    match bytes {
        0..=1023 => format!("{bytes} B"),
        1024..=1_048_575 => format!("{:.1} KB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MB", bytes as f64 / 1_048_576.0),
    }
}

/// The local calendar day of an ISO-8601 time, as a stable key (`None` if it does not parse).
fn local_day(iso: &str) -> Option<String> {
    let date = js_sys::Date::new(&iso.into());
    (!date.get_time().is_nan()).then(|| String::from(date.to_date_string()))
}

/// "Today", "Yesterday" or the date in the interface language.
fn day_label(chat: Chat, day: &str) -> String {
    let now = js_sys::Date::new_0();
    if now.to_date_string() == day {
        return chat.text(Text::Today).to_owned();
    }
    let yesterday = js_sys::Date::new(&(now.get_time() - 86_400_000.0).into());
    if yesterday.to_date_string() == day {
        return chat.text(Text::Yesterday).to_owned();
    }
    js_sys::Date::new(&day.into())
        .to_locale_date_string(chat.lang().code(), &wasm_bindgen::JsValue::UNDEFINED)
        .into()
}

/// The local time of an ISO-8601 time, as `HH:MM`.
fn local_time(iso: &str) -> String {
    let date = js_sys::Date::new(&iso.into());
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}
