//! The welcome title and message the website owner set (or the project's labels for them), on
//! the home view (where, as on Tiledesk, a built-in greeting stands in for none) and above a
//! conversation's first message.

use leptos::prelude::*;

use crate::chat::Chat;
use crate::core::i18n::Text;

/// The welcome, when there is one to show; on the home view (`greet`) always.
#[component]
pub fn Welcome(#[prop(optional)] greet: bool) -> impl IntoView {
    let chat = expect_context::<Chat>();
    // The welcomeTitle / welcomeMsg settings, else the project's WELCOME_TITLE / WELCOME_MSG labels.
    let welcome = move || {
        let label = |key: &str| {
            chat.config
                .labels
                .with(|labels| labels.named(key).unwrap_or_default().to_owned())
        };
        let (title, message) = chat
            .config
            .settings
            .with(|s| (s.welcome_title.clone(), s.welcome_msg.clone()));
        let or_label = |text: String, key, greeting| match (text.is_empty(), label(key)) {
            (false, _) => text,
            (true, label) if !label.is_empty() || !greet => label,
            (true, _) => chat.text(greeting).to_owned(),
        };
        (
            or_label(title, "WELCOME_TITLE", Text::Greeting),
            or_label(message, "WELCOME_MSG", Text::HowCanWeHelp),
        )
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
