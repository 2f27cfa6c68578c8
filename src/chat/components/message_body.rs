//! What a message shows: an image with its caption, a file to download, an audio player, an
//! embedded app, a gallery of cards, linked pages, safe HTML or markdown text, each from a safe
//! address only.

use leptos::prelude::*;
use serde_json::Value;
use tiledesk_markdown::view::{InlineHtml, RichText};
use tiledesk_protocol::attachment::{file_caption, human_size};
use tiledesk_protocol::urls::{is_image_url, is_web_url};

use super::buttons::ButtonRow;
use super::sources::Sources;
use crate::chat::Chat;
use crate::core::conversation::Line;
use crate::core::i18n::Text;
use crate::core::sources::{self, URL_PREVIEW};

/// What a message shows: its image, file, audio, embedded app, gallery, linked pages, safe HTML or
/// markdown text.
#[component]
pub fn Body(line: Line) -> impl IntoView {
    let chat = expect_context::<Chat>();
    let meta = |key: &str| line.metadata.as_ref().and_then(|m| m.get(key)).cloned();
    let src = meta("src").and_then(|v| v.as_str().map(str::to_owned));
    let number = |key: &str| {
        meta(key)
            .and_then(|v| v.as_u64())
            .map(|n| n.min(4096).to_string())
    };
    let mime = meta("type")
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    if let Some(preview) = sources::of(&line) {
        let caption = (line.kind != URL_PREVIEW).then(|| line.text.clone());
        return view! { <Sources preview=preview caption=caption /> }.into_any();
    }
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
        ("file", Some(src)) if is_web_url(&src) && mime.starts_with("audio/") => view! {
            <div class="tdw-bubble tdw-media" data-testid="message-text">
                <audio controls preload="metadata" src=src aria-label=meta("name").and_then(|v| v.as_str().map(str::to_owned))></audio>
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
        ("frame", Some(src)) if is_web_url(&src) => {
            let width = meta("width").and_then(|v| css_size(&v));
            view! {
                <div class="tdw-bubble tdw-media" data-testid="message-text">
                    <iframe
                        src=src.clone()
                        title=line.text.clone()
                        sandbox=frame_sandbox(&src)
                        referrerpolicy="strict-origin-when-cross-origin"
                        allowfullscreen
                        style:width=width
                        height=number("height").unwrap_or_else(|| "300".into())
                    ></iframe>
                </div>
            }
            .into_any()
        }
        ("gallery", _) => {
            let cards = line
                .attributes
                .as_ref()
                .and_then(|a| a.pointer("/attachment/gallery"))
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            view! { <Gallery cards=cards key=line.key.clone() text=line.text.clone() /> }.into_any()
        }
        // A bot's HTML in the safe subset, as inert as markdown (the Tiledesk widget shows its source).
        ("html", _) => view! {
            <div class="tdw-bubble tdw-text" data-testid="message-text">
                <p><InlineHtml html=line.text /></p>
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

/// The sandbox of an embedded app: scripts, forms and popups, as the Tiledesk widget allows them,
/// and its own origin's storage unless it is the widget's own origin (which would let it reach
/// into the widget).
pub fn frame_sandbox(src: &str) -> &'static str {
    let own = web_sys::window().and_then(|w| w.location().origin().ok());
    let theirs = web_sys::Url::new(src).ok().map(|url| url.origin());
    if own.is_some() && own == theirs {
        "allow-scripts allow-forms allow-popups allow-popups-to-escape-sandbox"
    } else {
        "allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox"
    }
}

/// A width from a message's metadata as CSS: a number of pixels or a `px`/`%` length.
fn css_size(value: &Value) -> Option<String> {
    if let Some(px) = value.as_u64() {
        return Some(format!("{}px", px.min(4096)));
    }
    let text = value.as_str()?.trim();
    let number = text.strip_suffix("px").or_else(|| text.strip_suffix('%'))?;
    (!number.is_empty() && number.chars().all(|c| c.is_ascii_digit())).then(|| text.to_owned())
}

/// A gallery (`attributes.attachment.gallery`): cards side by side, each with its picture, title,
/// description and buttons, scrolled sideways.
#[component]
fn Gallery(cards: Vec<Value>, key: String, text: String) -> impl IntoView {
    let chat = expect_context::<Chat>();
    let count = cards.len();
    let cards = cards
        .into_iter()
        .enumerate()
        .map(|(at, card)| {
            let field = |name: &str| card.get(name).and_then(Value::as_str).unwrap_or_default().to_owned();
            let (title, description) = (field("title"), field("description"));
            let picture = card
                .pointer("/preview/src")
                .and_then(Value::as_str)
                .filter(|src| is_image_url(src))
                .map(|src| view! { <img src=src.to_owned() alt=title.clone() loading="lazy" /> });
            let buttons = card.get("buttons").and_then(Value::as_array).cloned().unwrap_or_default();
            view! {
                <li class="tdw-card" data-testid="card" aria-label=move || format!("{} / {count}", at + 1)>
                    {picture}
                    <strong>{title}</strong>
                    <p>{description}</p>
                    <ButtonRow buttons=buttons key=key.clone() />
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="tdw-gallery" data-testid="message-text" role="region" aria-label=move || chat.text(Text::Gallery) tabindex="0">
            {(!text.is_empty()).then(|| view! { <RichText text=text /> })}
            <ul>{cards}</ul>
        </div>
    }
}
