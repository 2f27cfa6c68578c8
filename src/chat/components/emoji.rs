//! The emoji picker (`showEmojiFooterButton`): its list fetched when first opened, searched by
//! name, and used from the keyboard (arrows move in the grid, Enter picks, Escape closes), drawn in
//! the system's emoji font.

use std::rc::Rc;

use leptos::html::{Div, Input};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::chat::net::emoji::emoji;
use crate::chat::Chat;
use crate::core::emoji::{matching, Emoji};
use crate::core::i18n::Text;

/// How many emoji a row of the grid holds (the arrow keys move by it up and down).
const COLUMNS: i32 = 8;

/// What the list is while it loads.
#[derive(Clone)]
enum List {
    Loading,
    Failed,
    Loaded(Rc<Vec<Emoji>>),
}

/// The picker; `pick` receives the chosen emoji, `close` runs on Escape.
#[component]
pub fn EmojiPicker(
    pick: impl Fn(String) + Copy + Send + Sync + 'static,
    close: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let chat = expect_context::<Chat>();
    let list = RwSignal::new_local(List::Loading);
    let query = RwSignal::new(String::new());
    let grid = NodeRef::<Div>::new();
    let search = NodeRef::<Input>::new();
    Effect::new(move |_| {
        if let Some(search) = search.get() {
            let _ = search.focus();
        }
    });
    spawn_local(async move {
        list.set(match emoji().await {
            Some(all) => List::Loaded(all),
            None => List::Failed,
        });
    });
    // The grid's buttons, for moving the focus among them.
    let buttons = move || -> Vec<web_sys::HtmlElement> {
        let Some(grid) = grid.get_untracked() else {
            return Vec::new();
        };
        let found = grid.query_selector_all("button").ok();
        (0..found.as_ref().map_or(0, |f| f.length()))
            .filter_map(|i| found.as_ref()?.item(i)?.dyn_into().ok())
            .collect()
    };
    let on_grid_key = move |event: web_sys::KeyboardEvent| {
        let step = match event.key().as_str() {
            "ArrowRight" => 1,
            "ArrowLeft" => -1,
            "ArrowDown" => COLUMNS,
            "ArrowUp" => -COLUMNS,
            _ => return,
        };
        event.prevent_default();
        let all = buttons();
        let active = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element());
        let at = all
            .iter()
            .position(|b| {
                active
                    .as_ref()
                    .is_some_and(|a| a == b.unchecked_ref::<web_sys::Element>())
            })
            .unwrap_or(0) as i32;
        let next = (at + step).clamp(0, all.len() as i32 - 1);
        if let Some(button) = all.get(next as usize) {
            let _ = button.focus();
        }
    };
    let grid_view = move || {
        match list.get() {
        List::Loading => view! { <p class="tdw-static">"…"</p> }.into_any(),
        List::Failed => view! { <p class="tdw-static" role="alert">{move || chat.text(Text::EmojiUnavailable)}</p> }.into_any(),
        List::Loaded(all) => {
            let found = query.with(|q| {
                matching(&all, q)
                    .into_iter()
                    .cloned()
                    .collect::<Vec<_>>()
            });
            found
                .into_iter()
                .enumerate()
                .map(|(at, (glyph, name))| {
                    let (chosen, title, data_name) = (glyph.clone(), name.clone(), name.clone());
                    view! {
                        <button
                            type="button"
                            data-testid="emoji"
                            title=title
                            data-name=data_name
                            tabindex=if at == 0 { "0" } else { "-1" }
                            on:click=move |_| pick(chosen.clone())
                        >
                            // The name is what the button says; the glyph only shows.
                            <span aria-hidden="true">{glyph}</span>
                            <span class="tdw-sr">{name}</span>
                        </button>
                    }
                })
                .collect_view()
                .into_any()
        }
    }
    };
    view! {
        <div
            class="tdw-emoji"
            role="dialog"
            data-testid="emoji-picker"
            aria-label=move || chat.text(Text::Emoji)
            on:keydown=move |event| {
                if event.key() == "Escape" {
                    event.prevent_default();
                    event.stop_propagation();
                    close();
                }
            }
        >
            <input
                type="search"
                data-testid="emoji-search"
                node_ref=search
                aria-label=move || chat.text(Text::SearchEmoji)
                placeholder=move || chat.text(Text::SearchEmoji)
                prop:value=move || query.get()
                on:input=move |event| query.set(event_target_value(&event))
            />
            <div class="tdw-emoji-grid" node_ref=grid on:keydown=on_grid_key>
                {grid_view}
            </div>
        </div>
    }
}
