//! The conversation's messages: the newest page of a long conversation and earlier pages on request,
//! day separators, who wrote each and when, how far its delivery got, and the rich kinds (markdown
//! text, images, files, embedded apps, info lines, buttons).

use leptos::html::{Button, Div, Ol};
use leptos::prelude::*;
use serde_json::Value;

use super::rich_text::RichText;
use crate::chat::Chat;
use crate::conversation::{Delivery, Direction, Line};
use crate::i18n::Text;
use crate::message_window::{day_separators, MessageWindow};
use crate::urls::{is_image_url, is_web_url};

/// How many of the newest lines the list renders at first, and how many more each step back reveals.
const PAGE: usize = 50;
/// How close to the top (px) scrolling up has to come to reveal earlier messages by itself.
const NEAR_TOP_PX: i32 = 80;

/// A rendered line and the day separator above it.
#[derive(Clone, PartialEq)]
struct Row {
    line: Line,
    separator: Option<String>,
}

/// The rendered rows: those the visitor revealed as earlier messages, then the live ones after them.
#[derive(Clone, PartialEq)]
struct Rows {
    has_older: bool,
    earlier: Vec<Row>,
    live: Vec<Row>,
}

/// Where the visitor was reading when they asked for earlier messages, to stay there once they show.
#[derive(Clone, Copy)]
struct ReadingPosition {
    scroll_top: i32,
    scroll_height: i32,
    /// Whether the "earlier" button had the focus (it goes when nothing older is left).
    button_focused: bool,
}

/// The list of messages, kept scrolled to the newest; new ones are announced to screen readers,
/// earlier ones revealed by the visitor are not.
#[component]
pub fn MessageList() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let scroller = NodeRef::<Div>::new();
    let earlier_list = NodeRef::<Ol>::new();
    let earlier_button = NodeRef::<Button>::new();
    let shown = RwSignal::new(PAGE);
    // The key of the first live line: lines revealed above it go to the earlier part, unannounced.
    let live_from = RwSignal::new(None::<String>);
    let rows = Memo::new(move |_| {
        let (shown, live_from) = (shown.get(), live_from.get());
        chat.conversation
            .with(|c| window_rows(c.lines(), shown, live_from.as_deref()))
    });
    let revealing = StoredValue::new(None::<ReadingPosition>);
    // Once the rows change (not on an update that changed none), the list scrolls to the newest, or,
    // when the visitor revealed earlier messages, keeps the message they were reading in place.
    Effect::new(move |_| {
        rows.track();
        let Some(list) = scroller.get() else {
            return;
        };
        let revealed = revealing.try_update_value(Option::take).flatten();
        request_animation_frame(move || match revealed {
            Some(position) => {
                if position.button_focused && !rows.with_untracked(|r| r.has_older) {
                    if let Some(earlier) = earlier_list.get_untracked() {
                        let _ = earlier.focus();
                    }
                }
                list.set_scroll_top(
                    position.scroll_top + list.scroll_height() - position.scroll_height,
                );
            }
            None => list.set_scroll_top(list.scroll_height()),
        });
    });
    // Whether the "earlier" button matches a pseudo-class such as `:focus`.
    let button_is = move |state: &str| {
        earlier_button
            .get_untracked()
            .is_some_and(|button| button.matches(state).unwrap_or(false))
    };
    let show_earlier = move || {
        let Some(list) = scroller.get_untracked() else {
            return;
        };
        revealing.set_value(Some(ReadingPosition {
            scroll_top: list.scroll_top(),
            scroll_height: list.scroll_height(),
            button_focused: button_is(":focus"),
        }));
        live_from.set(rows.with_untracked(|r| r.live.first().map(|row| row.line.key.clone())));
        shown.update(|shown| *shown += PAGE);
    };
    let last_top = StoredValue::new(0);
    // Scrolling up near the top reveals more; moving the keyboard focus to the button does not (the
    // keyboard presses it).
    let on_scroll = move |_| {
        let Some(list) = scroller.get_untracked() else {
            return;
        };
        let top = list.scroll_top();
        let rising = top < last_top.get_value();
        last_top.set_value(top);
        if rising
            && top < NEAR_TOP_PX
            && rows.with_untracked(|r| r.has_older)
            && !button_is(":focus-visible")
        {
            show_earlier();
        }
    };
    view! {
        <div
            class="tdw-messages"
            data-testid="messages"
            role="region"
            tabindex="0"
            aria-label=move || chat.text(Text::ConversationMessages)
            node_ref=scroller
            on:scroll=on_scroll
        >
            <Show when=move || rows.with(|r| r.has_older) fallback=|| view! { <Welcome /> }>
                <ShowEarlier button=earlier_button reveal=show_earlier />
            </Show>
            <Show when=move || rows.with(|r| !r.earlier.is_empty())>
                <ol class="tdw-thread" tabindex="-1" node_ref=earlier_list>
                    <MessageRows rows=rows part=|r| &r.earlier />
                </ol>
            </Show>
            <ol class="tdw-thread" aria-live="polite" aria-relevant="additions">
                <MessageRows rows=rows part=|r| &r.live />
            </ol>
        </div>
    }
}

/// The rows to render of `lines`: the newest `shown`, split at the line keyed `live_from`.
fn window_rows(lines: &[Line], shown: usize, live_from: Option<&str>) -> Rows {
    let live_from = live_from.and_then(|key| lines.iter().rposition(|line| line.key == key));
    let window = MessageWindow::new(lines.len(), shown, live_from);
    let separators = day_separators(lines, window.start, local_day);
    let mut rows = lines[window.start..]
        .iter()
        .cloned()
        .zip(separators)
        .map(|(line, separator)| Row { line, separator });
    Rows {
        has_older: window.has_older(),
        earlier: rows
            .by_ref()
            .take(window.live_from - window.start)
            .collect(),
        live: rows.collect(),
    }
}

/// The button at the top of a long conversation that reveals an earlier page of it.
#[component]
fn ShowEarlier(button: NodeRef<Button>, reveal: impl Fn() + 'static) -> impl IntoView {
    let chat = expect_context::<Chat>();
    view! {
        <button
            type="button"
            class="tdw-button tdw-earlier"
            data-testid="earlier"
            node_ref=button
            on:click=move |_| reveal()
        >
            {move || chat.text(Text::ShowEarlier)}
        </button>
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
                <div class="tdw-welcome" data-testid="welcome">
                    {(!title.is_empty()).then(|| view! { <strong>{title}</strong> })}
                    {(!message.is_empty()).then(|| view! { <span>{message}</span> })}
                </div>
            }
        })
    }
}

/// The `part` of the rendered rows, each created once per line, delivery and separator.
#[component]
fn MessageRows(rows: Memo<Rows>, part: fn(&Rows) -> &[Row]) -> impl IntoView {
    view! {
        <For
            each=move || rows.with(|r| part(r).to_vec())
            key=|row| (row.line.key.clone(), row.line.delivery, row.separator.clone())
            let:row
        >
            {row.separator.map(|day| view! { <DaySeparator day=day /> })}
            <MessageItem line=row.line />
        </For>
    }
}

/// The day a message was written, above the first message of each day.
#[component]
fn DaySeparator(day: String) -> impl IntoView {
    let chat = expect_context::<Chat>();
    view! { <li class="tdw-day">{day_label(chat, &day)}</li> }
}

/// One message; a failed one offers to send it again.
#[component]
fn MessageItem(line: Line) -> impl IntoView {
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

/// Buttons of `attributes.attachment`: text and action buttons only while their message (`key`) is the
/// last; link buttons always.
#[component]
fn Buttons(buttons: Vec<Value>, key: String) -> impl IntoView {
    let chat = expect_context::<Chat>();
    let last = Memo::new(move |_| {
        chat.conversation
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
