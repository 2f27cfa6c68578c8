//! A link preview (Tiledesk's `url_preview` message): the pages a message lists, each a link with
//! its title, description, site and picture, three at first and the rest behind "Show all".

use leptos::prelude::*;
use leptos::task::spawn_local;
use tiledesk_markdown::view::RichText;

use crate::chat::Chat;
use crate::core::i18n::Text;
use crate::core::sources::{Preview, Shown, Source, FOLDED};

/// The sources of `preview`, filled in by the server's previews of their pages as they come,
/// after `caption` (the message's own text, when the preview travels in its metadata).
#[component]
pub fn Sources(preview: Preview, caption: Option<String>) -> impl IntoView {
    let chat = expect_context::<Chat>();
    let style = preview.style();
    let Preview { sources, shown, .. } = preview;
    let count = sources.len();
    let list = RwSignal::new(sources.clone());
    if sources.iter().any(Source::incomplete) {
        let previews = chat.previews;
        spawn_local(async move {
            let filled = previews.fill(sources).await;
            list.try_set(filled);
        });
    }
    let all = RwSignal::new(false);
    let rows = move || {
        let shown_rows = if all.get() { count } else { FOLDED };
        list.get()
            .into_iter()
            .take(shown_rows)
            .map(|source| view! { <Row source=source shown=shown /> })
            .collect_view()
    };
    let toggle = (count > FOLDED).then(|| {
        view! {
            <button type="button" class="tdw-link-button" aria-expanded=move || all.get().to_string()
                on:click=move |_| all.update(|all| *all = !*all)>
                {move || chat.text(if all.get() { Text::ShowLess } else { Text::ShowAll })}
            </button>
        }
    });
    view! {
        <div class="tdw-bubble tdw-sources" data-testid="message-text" style=style>
            {caption.filter(|text| !text.trim().is_empty()).map(|text| view! { <RichText text=text /> })}
            <p class="tdw-sources-head">{move || chat.text(Text::Sources)} " · " {count}</p>
            <ul aria-label=move || chat.text(Text::Sources)>{rows}</ul>
            {toggle}
        </div>
    }
}

/// One page: a link opening in a new tab, its title (or address), description, site and picture.
#[component]
fn Row(source: Source, shown: Shown) -> impl IntoView {
    let title = source
        .title
        .clone()
        .filter(|_| shown.title)
        .unwrap_or_else(|| source.link.clone());
    let description = source.description.clone().filter(|_| shown.description);
    let host = shown.source.then(|| source.host().to_owned());
    let picture = source.picture().filter(|_| shown.image).map(str::to_owned);
    view! {
        <li>
            <a class="tdw-source" data-testid="source" href=source.link target="_blank" rel="noopener noreferrer">
                <span>
                    <strong>{title}</strong>
                    {description.map(|text| view! { <span class="tdw-source-description">{text}</span> })}
                    {host.map(|host| view! { <small>{host}</small> })}
                </span>
                {picture.map(|src| view! { <img src=src alt="" loading="lazy" referrerpolicy="no-referrer" /> })}
            </a>
        </li>
    }
}
