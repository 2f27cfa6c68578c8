//! The credit under the home view and the composer (`poweredBy`): the project's HTML in the safe
//! inline subset (links open in a new tab), or nothing when it is empty.

use leptos::prelude::*;
use tiledesk_markdown::view::InlineHtml;

use crate::chat::Chat;

/// The credit line.
#[component]
pub fn PoweredBy() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let html = Memo::new(move |_| chat.config.settings.with(|s| s.powered_by.clone()));
    move || {
        let html = html.get();
        (!html.is_empty()).then(|| {
            view! { <p class="tdw-powered-by" data-testid="powered-by"><InlineHtml html /></p> }
        })
    }
}
