//! One message of the conversation: who wrote it and when, how far its delivery got, its body
//! (`message_body`) and its buttons (`buttons`); info lines stand apart.

use leptos::prelude::*;
use serde_json::Value;

use super::buttons::ButtonRow;
use super::icon::Icon;
use super::message_body::Body;
use crate::chat::Chat;
use crate::core::conversation::{initials, Delivery, Direction, Line};
use crate::core::i18n::Text;
use crate::core::theme::{CLOCK_ICON_PATH, TICKS_ICON_PATH, TICK_ICON_PATH};

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
        .map(|buttons| view! { <ButtonRow buttons=buttons.clone() key=line.key.clone() /> });
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

/// The local time of an ISO-8601 time, as `HH:MM`.
fn local_time(iso: &str) -> String {
    let date = js_sys::Date::new(&iso.into());
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}
