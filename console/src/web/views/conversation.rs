//! One conversation: its messages live (markdown, images, files, quick-reply buttons, private
//! notes, read ticks), who types, the composer (reply or private note, quick replies, a file;
//! Enter sends) and the actions: take, assign to an agent or department, close and reopen.

use leptos::ev::KeyboardEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use tiledesk_protocol::{Message, RequestStatus};

use super::attachment::{first_file, AttachmentPreview, Pending};
use super::details::Details;
use super::inbox::short_time;
use crate::core::inbox::is_info;
use crate::core::media::{media, Media};
use crate::core::receipts::tick;
use crate::core::replies::button_labels;
use crate::core::visitor::visitor;
use crate::web::state::Console;
use tiledesk_markdown::view::RichText;

/// The open conversation, or a hint to pick one.
#[component]
pub fn ConversationView() -> impl IntoView {
    let console = expect_context::<Console>();
    view! {
        {move || match console.selected.get() {
            None => view! {
                <section class="tdc-conversation tdc-placeholder">
                    <p class="tdc-muted">"Pick a conversation to read and answer it."</p>
                </section>
            }.into_any(),
            Some(rid) => view! { <Conversation rid=rid /> }.into_any(),
        }}
    }
}

#[component]
fn Conversation(rid: String) -> impl IntoView {
    let console = expect_context::<Console>();
    let request = {
        let rid = rid.clone();
        Memo::new(move |_| console.requests.with(|all| all.get(&rid).cloned()))
    };
    let messages = {
        let rid = rid.clone();
        Memo::new(move |_| {
            console
                .messages
                .with(|all| all.get(&rid).cloned().unwrap_or_default())
        })
    };
    // Whatever shows while the page is visible counts as seen.
    Effect::new(move |_| {
        messages.track();
        console.viewed();
    });
    let thread = NodeRef::<html::Ol>::new();
    Effect::new(move |_| {
        messages.track();
        if let Some(list) = thread.get() {
            if let Some(parent) = list.parent_element() {
                parent.set_scroll_top(parent.scroll_height());
            }
        }
    });
    let name = move || {
        request
            .with(|r| r.as_ref().map(|r| visitor(r).name))
            .unwrap_or_default()
    };
    let typing = {
        let rid = rid.clone();
        move || {
            console
                .typing
                .with(|all| all.get(&rid).map(|t| t.name.clone()))
        }
    };
    let me = console.me();
    view! {
        <section class="tdc-conversation" aria-labelledby="tdc-conversation-title" data-testid="conversation-view"
            class:tdc-details-open=move || console.show_details.get()>
            <div class="tdc-conversation-main">
                <header class="tdc-conversation-header">
                    <button type="button" class="tdc-secondary tdc-back" data-testid="back"
                        on:click=move |_| console.deselect()>"Back"</button>
                    <h2 id="tdc-conversation-title">{name}</h2>
                    <Actions rid=rid.clone() />
                </header>
                <div class="tdc-thread" tabindex="0" role="region" aria-label="Messages">
                    <ol class="tdc-messages" node_ref=thread data-testid="messages">
                        <For each=move || messages.get() key=|m| (m.id.clone(), m.status) let:message>
                            <MessageItem message=message me=me.clone() />
                        </For>
                    </ol>
                </div>
                <p class="tdc-typing" aria-live="polite" data-testid="typing">
                    {move || typing().map(|name| format!("{name} is typing…"))}
                </p>
                <Composer rid=rid.clone()
                    closed=Signal::derive(move || request.with(|r| r.as_ref().is_some_and(|r| r.status >= RequestStatus::CLOSED))) />
            </div>
            {move || request.get().map(|request| view! { <Details request=request /> })}
        </section>
    }
}

#[component]
fn MessageItem(message: Message, me: String) -> impl IntoView {
    if is_info(&message) {
        return view! { <li class="tdc-info" data-testid="info">{message.text}</li> }.into_any();
    }
    let mine = message.sender == me;
    let private = message.is_private();
    let buttons = button_labels(message.attributes.as_ref());
    let time = short_time(&message.created_at);
    let receipt = mine.then(|| tick(message.status)).flatten();
    let direction = if mine { "out" } else { "in" };
    view! {
        <li class="tdc-message" class:tdc-out=mine class:tdc-private=private
            data-testid="message" data-direction=direction data-private=private.to_string()
            data-status=message.status.to_string()>
            <span class="tdc-sender">
                {message.sender_fullname.clone()}
                {private.then(|| view! { <span class="tdc-note-label">" · Private note, only agents see it"</span> })}
            </span>
            <Body message=message.clone() />
            {(!buttons.is_empty()).then(|| view! {
                <ul class="tdc-quick" aria-label="Quick replies offered" data-testid="quick-replies">
                    {buttons.into_iter().map(|label| view! { <li>{label}</li> }).collect_view()}
                </ul>
            })}
            <span class="tdc-meta">
                <time datetime=message.created_at.clone()>{time}</time>
                {receipt.map(|(glyph, label)| view! {
                    <span class="tdc-tick" data-testid="receipt" data-receipt=label>
                        " " <span aria-hidden="true">{glyph}</span><span class="tdc-sr">{label}</span>
                    </span>
                })}
            </span>
        </li>
    }
    .into_any()
}

/// What a message shows: its image, its file to download, or its markdown text; names and
/// captions stay text.
#[component]
fn Body(message: Message) -> impl IntoView {
    let caption =
        |caption: String| (!caption.is_empty()).then(|| view! { <RichText text=caption /> });
    match media(&message.kind, &message.text, message.metadata.as_ref()) {
        Media::Image {
            src,
            width,
            height,
            caption: text,
        } => view! {
            <div class="tdc-bubble tdc-media" data-testid="message-text">
                <img src=src alt=text.clone() width=width height=height loading="lazy"
                    data-testid="attachment-image" />
                {caption(text)}
            </div>
        }
        .into_any(),
        Media::File {
            src,
            name,
            size,
            caption: text,
        } => {
            let download = name.clone();
            view! {
                <div class="tdc-bubble" data-testid="message-text">
                    <a class="tdc-file" href=src download=download target="_blank" rel="noopener noreferrer"
                        data-testid="attachment-file">
                        <span aria-hidden="true">"📄 "</span>
                        {name}
                        {size.map(|size| view! { <span class="tdc-muted">" · " {size}</span> })}
                        <span class="tdc-sr">" (download)"</span>
                    </a>
                    {caption(text)}
                </div>
            }
            .into_any()
        }
        Media::Text => view! {
            <div class="tdc-bubble" data-testid="message-text">
                <RichText text=message.text />
            </div>
        }
        .into_any(),
    }
}

/// Take, assign, close, reopen and the visitor's details.
#[component]
fn Actions(rid: String) -> impl IntoView {
    let console = expect_context::<Console>();
    let request = {
        let rid = rid.clone();
        Memo::new(move |_| console.requests.with(|all| all.get(&rid).cloned()))
    };
    let me = console.me();
    let open =
        move || request.with(|r| r.as_ref().is_some_and(|r| r.status < RequestStatus::CLOSED));
    let mine = move || request.with(|r| r.as_ref().is_some_and(|r| r.participants.contains(&me)));
    let assignees = move || {
        request.with(|r| {
            r.as_ref()
                .map(|r| {
                    r.participants
                        .iter()
                        .map(|p| console.member_name(p))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default()
        })
    };
    let (take, close, reopen) = (rid.clone(), rid.clone(), rid.clone());
    view! {
        <div class="tdc-actions">
            <span class="tdc-muted" data-testid="assignees">
                {move || {
                    let names = assignees();
                    if names.is_empty() { "Unassigned".to_owned() } else { format!("With {names}") }
                }}
            </span>
            <Show when=move || open() && !mine()>
                {
                    let take = take.clone();
                    view! {
                        <button type="button" class="tdc-primary" data-testid="take"
                            on:click=move |_| console.take(take.clone())>"Take"</button>
                    }
                }
            </Show>
            <Show when=open>
                <AssignMenu rid=rid.clone() />
                {
                    let close = close.clone();
                    view! {
                        <button type="button" class="tdc-secondary" data-testid="close"
                            on:click=move |_| console.act(close.clone(), "close")>"Close"</button>
                    }
                }
            </Show>
            <Show when=move || !open() && request.with(Option::is_some)>
                {
                    let reopen = reopen.clone();
                    view! {
                        <button type="button" class="tdc-secondary" data-testid="reopen"
                            on:click=move |_| console.act(reopen.clone(), "reopen")>"Reopen"</button>
                    }
                }
            </Show>
            <button type="button" class="tdc-secondary tdc-details-toggle" data-testid="details-toggle"
                aria-expanded=move || console.show_details.get().to_string()
                on:click=move |_| console.show_details.update(|v| *v = !*v)>
                "Visitor"
            </button>
        </div>
    }
}

/// A menu to assign the conversation to an agent or route it to a department; Escape closes it.
#[component]
fn AssignMenu(rid: String) -> impl IntoView {
    let console = expect_context::<Console>();
    let expanded = RwSignal::new(false);
    let opener = NodeRef::<html::Button>::new();
    let first = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if expanded.get() {
            if let Some(button) = first.get() {
                let _ = button.focus();
            }
        }
    });
    let close_menu = move || {
        expanded.set(false);
        if let Some(button) = opener.get() {
            let _ = button.focus();
        }
    };
    let on_key = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            close_menu();
        }
    };
    let agents = {
        let rid = rid.clone();
        move || {
            console.team.get().into_iter().map(|member| {
                let (rid, id) = (rid.clone(), member.id_user.id.clone());
                let name = member.id_user.display_name();
                let state = if member.user_available { "available" } else { "unavailable" };
                view! {
                    <li role="none">
                        <button type="button" role="menuitem" data-testid="assign-agent" data-user=id.clone()
                            on:click=move |_| { console.assign(rid.clone(), id.clone()); close_menu(); }>
                            {name} <span class="tdc-muted">" (" {state} ")"</span>
                        </button>
                    </li>
                }
            }).collect_view()
        }
    };
    let departments = {
        let rid = rid.clone();
        move || {
            console.departments.get().into_iter().map(|department| {
                let (rid, id) = (rid.clone(), department.id.clone());
                view! {
                    <li role="none">
                        <button type="button" role="menuitem" data-testid="assign-department"
                            on:click=move |_| { console.to_department(rid.clone(), id.clone()); close_menu(); }>
                            {format!("Department: {}", department.name)}
                        </button>
                    </li>
                }
            }).collect_view()
        }
    };
    view! {
        <div class="tdc-menu" on:keydown=on_key>
            <button type="button" class="tdc-secondary" data-testid="assign" node_ref=opener
                aria-haspopup="menu" aria-expanded=move || expanded.get().to_string()
                aria-controls="tdc-assign-menu"
                on:click=move |_| expanded.update(|v| *v = !*v)>
                "Assign…"
            </button>
            <Show when=move || expanded.get()>
                <ul class="tdc-menu-list" role="menu" id="tdc-assign-menu" aria-label="Assign to">
                    <li role="none">
                        <button type="button" role="menuitem" node_ref=first class="tdc-muted"
                            on:click=move |_| close_menu()>"Cancel"</button>
                    </li>
                    {agents.clone()}
                    {departments.clone()}
                </ul>
            </Show>
        </div>
    }
}

/// Writes a reply or a private note, with optional quick-reply buttons and (a reply) a file picked
/// or pasted, sent with the text as its caption; Enter sends, Shift+Enter starts a new line.
#[component]
fn Composer(rid: String, closed: Signal<bool>) -> impl IntoView {
    let console = expect_context::<Console>();
    let text = RwSignal::new(String::new());
    let private = RwSignal::new(false);
    let with_buttons = RwSignal::new(false);
    let buttons = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let pending = RwSignal::new_local(None::<Pending>);
    let file_input = NodeRef::<html::Input>::new();
    // Files go as replies only: none is taken in note mode or while a message goes.
    let attach = move |file: web_sys::File| {
        if private.get_untracked() || busy.get_untracked() {
            return;
        }
        match Pending::new(file) {
            Ok(file) => {
                if let Some(previous) = pending.get_untracked() {
                    previous.release();
                }
                pending.set(Some(file));
                failure.set(None);
            }
            Err(refusal) => failure.set(Some(refusal.to_owned())),
        }
    };
    on_cleanup(move || {
        if let Some(Some(file)) = pending.try_get_untracked() {
            file.release();
        }
    });
    let send = {
        let rid = rid.clone();
        move || {
            let body = text.get_untracked();
            let file = pending.get_untracked();
            if (body.trim().is_empty() && file.is_none()) || busy.get_untracked() {
                return;
            }
            busy.set(true);
            let (rid, is_private) = (rid.clone(), private.get_untracked());
            let labels = if with_buttons.get_untracked() {
                buttons.get_untracked()
            } else {
                String::new()
            };
            spawn_local(async move {
                let sent = match file {
                    // A file goes as a reply (the note mode is off while one is attached).
                    Some(file) => {
                        let Pending {
                            file: blob,
                            picked,
                            pixels,
                            ..
                        } = file.clone();
                        let sent = console
                            .send_file(rid, blob, picked, pixels, body, labels)
                            .await;
                        if sent.is_ok() {
                            file.release();
                            pending.set(None);
                        }
                        sent
                    }
                    None => console.send(rid, body, is_private, labels).await,
                };
                match sent {
                    Ok(()) => {
                        text.set(String::new());
                        buttons.set(String::new());
                        with_buttons.set(false);
                        failure.set(None);
                    }
                    Err(error) => failure.set(Some(error)),
                }
                busy.set(false);
            });
        }
    };
    let on_key = {
        let send = send.clone();
        move |ev: KeyboardEvent| {
            if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                ev.prevent_default();
                send();
            }
        }
    };
    let on_submit = {
        let send = send.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            send();
        }
    };
    view! {
        <form class="tdc-composer" class:tdc-composing-note=move || private.get() on:submit=on_submit data-testid="composer-form">
            <Show when=move || closed.get()>
                <p class="tdc-muted">"This conversation is closed: the visitor sees a reply once it is reopened."</p>
            </Show>
            <fieldset class="tdc-mode">
                <legend class="tdc-sr">"Write"</legend>
                <label><input type="radio" name="tdc-mode" data-testid="mode-reply"
                    prop:checked=move || !private.get() on:change=move |_| private.set(false) />" Reply"</label>
                <label><input type="radio" name="tdc-mode" data-testid="mode-note"
                    disabled=move || pending.with(Option::is_some)
                    prop:checked=move || private.get() on:change=move |_| private.set(true) />" Private note"</label>
                <label class:tdc-hidden=move || private.get()>
                    <input type="checkbox" data-testid="with-buttons" prop:checked=move || with_buttons.get()
                        on:change=move |ev| with_buttons.set(event_target_checked(&ev)) />
                    " Quick replies"
                </label>
            </fieldset>
            <label for="tdc-composer" class="tdc-sr">
                {move || if private.get() { "Private note (only agents see it)" } else { "Reply to the visitor" }}
            </label>
            <textarea id="tdc-composer" data-testid="composer" rows="3"
                placeholder=move || if private.get() { "Private note: only agents see it" } else { "Reply… (Enter sends, Shift+Enter for a new line; markdown works)" }
                prop:value=move || text.get()
                on:input=move |ev| { text.set(event_target_value(&ev)); console.typed(); }
                on:paste=move |ev: web_sys::ClipboardEvent| {
                    if let Some(file) = first_file(ev.clipboard_data().and_then(|d| d.files())) {
                        ev.prevent_default();
                        attach(file);
                    }
                }
                on:keydown=on_key></textarea>
            <AttachmentPreview pending=pending busy=busy />
            <Show when=move || with_buttons.get() && !private.get()>
                <label for="tdc-buttons">"Quick-reply buttons, one per line"</label>
                <textarea id="tdc-buttons" data-testid="buttons" rows="2"
                    prop:value=move || buttons.get()
                    on:input=move |ev| buttons.set(event_target_value(&ev))></textarea>
            </Show>
            <div class="tdc-composer-end">
                <p class="tdc-error" role="alert" data-testid="composer-error">{move || failure.get()}</p>
                <input type="file" hidden data-testid="attach-input" node_ref=file_input
                    on:change=move |ev| {
                        let input: web_sys::HtmlInputElement = event_target(&ev);
                        if let Some(file) = first_file(input.files()) {
                            attach(file);
                        }
                        input.set_value("");
                    } />
                <button type="button" class="tdc-secondary" data-testid="attach"
                    title=move || if private.get() { "Files go as replies, not private notes" } else { "Attach a file (or paste one)" }
                    disabled=move || private.get() || busy.get()
                    on:click=move |_| {
                        if let Some(input) = file_input.get_untracked() {
                            input.click();
                        }
                    }>
                    "Attach a file"
                </button>
                <button type="submit" class="tdc-primary" data-testid="send" disabled=busy>
                    {move || if private.get() { "Add note" } else { "Send" }}
                </button>
            </div>
        </form>
    }
}
