//! The conversation's messages: the newest page of a long conversation and earlier pages on request,
//! the welcome above them and day separators between them.

use leptos::html::{Button, Div, Ol};
use leptos::prelude::*;

use super::message::MessageItem;
use super::typing::TypingBubble;
use super::welcome::Welcome;
use crate::chat::Chat;
use crate::core::conversation::{Direction, Line};
use crate::core::i18n::Text;
use crate::core::message_window::{day_separators, MessageWindow};

/// How many of the newest lines the list renders at first, and how many more each step back reveals.
const PAGE: usize = 50;
/// How close to the top (px) scrolling up has to come to reveal earlier messages by itself.
const NEAR_TOP_PX: i32 = 80;
/// How close to the bottom (px) the visitor counts as reading the newest messages.
const NEAR_BOTTOM_PX: i32 = 48;

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
        chat.conversations
            .open
            .lines
            .with(|c| window_rows(c.lines(), shown, live_from.as_deref()))
    });
    let revealing = StoredValue::new(None::<ReadingPosition>);
    // Whether the visitor is reading the newest messages; when they scrolled up, what others wrote
    // since is counted on a button that brings them down.
    let at_bottom = StoredValue::new(true);
    let unseen = RwSignal::new(0usize);
    let known_lines = StoredValue::new(0usize);
    // Once the rows change (not on an update that changed none), the list scrolls to the newest, or,
    // when the visitor revealed earlier messages, keeps the message they were reading in place.
    Effect::new(move |_| {
        rows.track();
        chat.conversations.open.activity.typist.track();
        let Some(list) = scroller.get() else {
            return;
        };
        let revealed = revealing.try_update_value(Option::take).flatten();
        let (total, arrived) = chat.conversations.open.lines.with_untracked(|c| {
            let lines = c.lines();
            let from = known_lines.get_value().min(lines.len());
            let arrived = &lines[from..];
            let own_last = arrived
                .last()
                .is_some_and(|l| l.direction == Direction::Outgoing);
            let incoming = arrived
                .iter()
                .filter(|l| l.direction == Direction::Incoming)
                .count();
            (lines.len(), (incoming, own_last))
        });
        known_lines.set_value(total);
        let follow = revealed.is_some() || at_bottom.get_value() || arrived.1 || total == 0;
        if !follow {
            unseen.update(|n| *n += arrived.0);
            return;
        }
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
        // Only the visitor scrolling up leaves the newest: a scroll to the newest whose event lands
        // after the next message grew the list must not read as reading above.
        let bottom = top + list.client_height() >= list.scroll_height() - NEAR_BOTTOM_PX;
        if bottom {
            at_bottom.set_value(true);
            unseen.set(0);
        } else if rising {
            at_bottom.set_value(false);
        }
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
            <TypingBubble />
        </div>
        <Show when=move || { unseen.get() > 0 }>
            <button
                type="button"
                class="tdw-new-messages"
                data-testid="new-messages"
                on:click=move |_| {
                    unseen.set(0);
                    at_bottom.set_value(true);
                    if let Some(list) = scroller.get_untracked() {
                        list.set_scroll_top(list.scroll_height());
                    }
                }
            >
                {move || format!("{} {}", unseen.get(), chat.text(Text::UnreadMessages))}
            </button>
        </Show>
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
