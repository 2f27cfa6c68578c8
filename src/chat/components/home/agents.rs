//! The agents available now (`showAvailableAgents`), as overlapping initials: up to five, each
//! named for screen readers.

use leptos::prelude::*;

use crate::chat::Chat;
use crate::core::conversation::initials;
use crate::core::i18n::Text;

/// Agents the row shows at most, as the Tiledesk widget.
const SHOWN: usize = 5;

/// Background colours of the initials (white text on each is at least 4.5:1).
const COLOURS: [&str; 6] = [
    "#1565c0", "#2e7d32", "#ad1457", "#6a1b9a", "#c62828", "#00695c",
];

/// The row, when the setting allows and anyone is available.
#[component]
pub fn AvailableAgents() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let agents = Memo::new(move |_| {
        if !chat.config.settings.with(|s| s.show_available_agents) {
            return Vec::new();
        }
        chat.intake.agents.with(|agents| {
            agents
                .iter()
                .filter(|a| !a.firstname.trim().is_empty())
                .take(SHOWN)
                .map(|a| (a.id.clone(), a.firstname.trim().to_owned()))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <Show when=move || agents.with(|a| !a.is_empty())>
            <ul class="tdw-agents" data-testid="available-agents" aria-label=move || chat.text(Text::AvailableNow)>
                <For each=move || agents.get() key=|(id, _)| id.clone() let:agent>
                    <li style:background=colour(&agent.1)>
                        <span aria-hidden="true">{initials(&agent.1)}</span>
                        <span class="tdw-sr">{agent.1.clone()}</span>
                    </li>
                </For>
            </ul>
        </Show>
    }
}

/// A colour picked by the name, so an agent keeps theirs.
fn colour(name: &str) -> &'static str {
    let sum = name.chars().map(u32::from).fold(0u32, u32::wrapping_add);
    COLOURS[sum as usize % COLOURS.len()]
}
