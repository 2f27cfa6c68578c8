//! One message of the conversation: who wrote it and when, how far its delivery got, and its rich
//! kinds (markdown text, images, files, embedded apps, info lines, buttons).

use leptos::prelude::*;
use serde_json::Value;

use super::icon::Icon;
use crate::chat::Chat;
use crate::core::conversation::{initials, Delivery, Direction, Line};
use crate::core::i18n::Text;
use crate::core::theme::{CLOCK_ICON_PATH, TICKS_ICON_PATH, TICK_ICON_PATH};
use crate::core::urls::{is_image_url, is_web_url};
use tiledesk_markdown::view::RichText;
use tiledesk_protocol::attachment::{file_caption, human_size};

/// One message; a failed one offers to send it again.
#[component]
pub fn MessageItem(line: Line) -> impl IntoView {
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
    // The name is written out beside it: the avatar only shows.
    let avatar = (!outgoing).then(|| {
        view! { <span class="tdw-avatar" aria-hidden="true">{initials(&line.sender_name)}</span> }
    });
    let time = line.created_at.as_deref().map(local_time);
    let status = match line.delivery {
        Delivery::Sending => Some(
            view! {
                <span class="tdw-status">
                    <Tick delivery=Delivery::Sending />
                    {move || chat.text(Text::Sending)}
                </span>
            }
            .into_any(),
        ),
        Delivery::Failed => {
            let client_id = line.key.clone();
            Some(
                view! {
                    <span class="tdw-status tdw-failed">
                        {move || chat.text(Text::NotSent)} " "
                        <button type="button" data-testid="retry" on:click=move |_| chat.sending.retry(client_id.clone())>
                            {move || chat.text(Text::Retry)}
                        </button>
                    </span>
                }
                .into_any(),
            )
        }
        delivery => Some(
            view! {
                <span class="tdw-status">
                    {time.map(|time| view! { <time>{time}</time> })}
                    {outgoing.then(|| view! { <Tick delivery=delivery /> })}
                </span>
            }
            .into_any(),
        ),
    };
    let buttons = line
        .attributes
        .as_ref()
        .and_then(|a| a.pointer("/attachment/buttons"))
        .and_then(Value::as_array)
        .map(|buttons| view! { <Buttons buttons=buttons.clone() key=line.key.clone() /> });
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
            {avatar}
            {sender}
            <Body line=line />
            {buttons}
            {status}
        </li>
    }
    .into_any()
}

/// How far the visitor's message got, as ticks with an accessible name: a clock while sending,
/// one tick once stored, two once delivered, two coloured once read.
#[component]
fn Tick(delivery: Delivery) -> impl IntoView {
    let chat = expect_context::<Chat>();
    let (path, name) = match delivery {
        Delivery::Sending => (CLOCK_ICON_PATH, None),
        Delivery::Delivered => (TICKS_ICON_PATH, Some(Text::Delivered)),
        Delivery::Read => (TICKS_ICON_PATH, Some(Text::Read)),
        _ => (TICK_ICON_PATH, Some(Text::Sent)),
    };
    view! {
        <span
            class="tdw-tick"
            class:tdw-read=delivery == Delivery::Read
            data-testid="tick"
            role=name.map(|_| "img")
            aria-label=move || name.map(|name| chat.text(name))
        >
            <Icon path=path size=16 />
        </span>
    }
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
                {caption}
            </div>
        }
        .into_any(),
        ("file", Some(src)) if is_web_url(&src) => {
            let name = meta("name").and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_else(|| "file".into());
            let size = meta("size").and_then(|v| v.as_u64()).map(human_size);
            let caption = file_caption(&line.text, &src).to_owned();
            let caption = (!caption.is_empty()).then(|| view! { <RichText text=caption /> });
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

/// Buttons of `attributes.attachment`: text and action buttons only while their message (`key`) is the
/// last; link buttons always.
#[component]
fn Buttons(buttons: Vec<Value>, key: String) -> impl IntoView {
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
                            Some("parent") => "_top",
                            Some("self") => "_self",
                            _ => "_blank",
                        };
                        Some(view! { <a class="tdw-button" href=link target=target rel="noopener noreferrer">{label}</a> }.into_any())
                    }
                    "action" if last => {
                        let action = button.get("action")?.as_str()?.to_owned();
                        Some(view! {
                            <button type="button" class="tdw-button" on:click=move |_| chat.sending.send_action(label.clone(), action.clone())>
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

/// The local time of an ISO-8601 time, as `HH:MM`.
fn local_time(iso: &str) -> String {
    let date = js_sys::Date::new(&iso.into());
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}
