//! Message text rendered as Leptos views from safe markdown: only text nodes and a fixed set of
//! plain elements, links opening in a new tab without access to the page that shows them.

use leptos::prelude::*;

use crate::{html, parse, Block, Inline};

/// `text` as paragraphs, headings, lists, tables and code blocks.
#[component]
pub fn RichText(text: String) -> impl IntoView {
    parse(&text).into_iter().map(block).collect_view()
}

/// `html` in the safe inline subset of [`html::inlines`] (links, emphasis, code, line breaks).
#[component]
pub fn InlineHtml(html: String) -> impl IntoView {
    inlines_view(html::inlines(&html))
}

fn block(block: Block) -> AnyView {
    match block {
        Block::Paragraph(inlines) => view! { <p>{inlines_view(inlines)}</p> }.into_any(),
        Block::List {
            ordered: true,
            items,
        } => view! { <ol>{items_view(items)}</ol> }.into_any(),
        Block::List {
            ordered: false,
            items,
        } => view! { <ul>{items_view(items)}</ul> }.into_any(),
        Block::Code(code) => view! { <pre><code>{code}</code></pre> }.into_any(),
        // Bold lines rather than headings: a message's title must not join the page's outline.
        Block::Heading { level, text } => {
            view! { <p class=format!("md-heading md-h{level}")><strong>{inlines_view(text)}</strong></p> }
                .into_any()
        }
        Block::Table { head, rows } => view! {
            <div class="md-table">
                <table>
                    <thead><tr>{head.into_iter().map(|cell| view! { <th scope="col">{inlines_view(cell)}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|row| view! { <tr>{row.into_iter().map(|cell| view! { <td>{inlines_view(cell)}</td> }).collect_view()}</tr> })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any(),
    }
}

fn items_view(items: Vec<Vec<Inline>>) -> Vec<AnyView> {
    items
        .into_iter()
        .map(|item| view! { <li>{inlines_view(item)}</li> }.into_any())
        .collect()
}

fn inlines_view(inlines: Vec<Inline>) -> Vec<AnyView> {
    inlines.into_iter().map(inline).collect()
}

fn inline(inline: Inline) -> AnyView {
    match inline {
        Inline::Text(text) => text.into_any(),
        Inline::Bold(inner) => view! { <strong>{inlines_view(inner)}</strong> }.into_any(),
        Inline::Italic(inner) => view! { <em>{inlines_view(inner)}</em> }.into_any(),
        Inline::Code(code) => view! { <code>{code}</code> }.into_any(),
        Inline::Link { href, text } => {
            view! { <a href=href target="_blank" rel="noopener noreferrer">{inlines_view(text)}</a> }.into_any()
        }
        Inline::LineBreak => view! { <br /> }.into_any(),
        Inline::Image { src, alt } => {
            view! { <img class="md-image" src=src alt=alt loading="lazy" referrerpolicy="no-referrer" /> }.into_any()
        }
    }
}
