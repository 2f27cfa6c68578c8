//! The root view: sign-in, the project chooser, or the header with the inbox or team page.

use leptos::prelude::*;

use super::conversation::ConversationView;
use super::inbox::Inbox;
use super::signin::SignIn;
use super::team::TeamPage;
use crate::web::alert;
use crate::web::state::{Console, Page};

/// The whole console.
#[component]
pub fn App() -> impl IntoView {
    let console = Console::restore();
    provide_context(console);
    view! {
        <Show when=move || console.session.with(Option::is_some) fallback=|| view! { <SignIn /> }>
            <Show when=move || console.project.with(Option::is_some) fallback=|| view! { <Projects /> }>
                <Header />
                <Show when=move || console.page.get() == Page::Inbox fallback=|| view! { <TeamPage /> }>
                    <main class="tdc-workspace" class:tdc-has-selection=move || console.selected.with(Option::is_some)>
                        <Inbox />
                        <ConversationView />
                    </main>
                </Show>
            </Show>
        </Show>
        <p class="tdc-sr" role="status" aria-live="polite" data-testid="announcement">
            {move || console.announcement.get()}
        </p>
    }
}

/// Chooses among the agent's projects (shown when there are several, or none).
#[component]
fn Projects() -> impl IntoView {
    let console = expect_context::<Console>();
    view! {
        <main class="tdc-signin">
            <section class="tdc-card">
                <h1>"Projects"</h1>
                {move || match console.projects.get() {
                    None => view! { <p>"Loading your projects…"</p> }.into_any(),
                    Some(list) if list.is_empty() => view! {
                        <p>"You are not an agent of any project yet."</p>
                    }.into_any(),
                    Some(list) => view! {
                        <ul class="tdc-plain">
                            {list.into_iter().map(|membership| {
                                let name = membership.id_project.name.clone();
                                view! {
                                    <li>
                                        <button type="button" class="tdc-secondary" data-testid="project"
                                            on:click=move |_| console.choose(membership.clone())>
                                            {name}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }}
                <p class="tdc-error" role="alert">{move || console.error.get()}</p>
                <button type="button" class="tdc-link" on:click=move |_| console.sign_out()>"Sign out"</button>
            </section>
        </main>
    }
}

/// The project's name, the pages, the agent's availability and the session.
#[component]
fn Header() -> impl IntoView {
    let console = expect_context::<Console>();
    let project_name = move || {
        console
            .project
            .with(|p| p.as_ref().map(|p| p.id_project.name.clone()))
            .unwrap_or_default()
    };
    let agent_name = move || {
        console
            .session
            .with(|s| s.as_ref().map(|s| s.user.display_name()))
            .unwrap_or_default()
    };
    let available = move || console.available.get().unwrap_or(false);
    let can_ask = RwSignal::new(alert::can_ask());
    let nav = move |page: Page, label: &'static str, testid: &'static str| {
        view! {
            <button type="button" class="tdc-tab" data-testid=testid
                aria-current=move || (console.page.get() == page).then_some("page")
                on:click=move |_| console.page.set(page)>
                {label}
            </button>
        }
    };
    view! {
        <header class="tdc-header">
            <h1>{project_name}</h1>
            <nav aria-label="Pages" class="tdc-nav">
                {nav(Page::Inbox, "Inbox", "nav-inbox")}
                {nav(Page::Team, "Team", "nav-team")}
            </nav>
            <div class="tdc-header-end">
                <span class="tdc-pill" data-testid="connection"
                    data-connected=move || console.connected.get().to_string()>
                    {move || if console.connected.get() { "Live" } else { "Connecting…" }}
                </span>
                <span class="tdc-pill" data-testid="isopen">
                    {move || match console.is_open.get() {
                        Some(false) => "Outside operating hours",
                        _ => "Within operating hours",
                    }}
                </span>
                <button type="button" role="switch" class="tdc-switch" data-testid="availability"
                    aria-checked=move || available().to_string()
                    on:click=move |_| console.set_available(!available())>
                    <span class="tdc-switch-track" aria-hidden="true"><span class="tdc-switch-thumb"></span></span>
                    {move || if available() { "Available" } else { "Unavailable" }}
                </button>
                <Show when=move || can_ask.get()>
                    <button type="button" class="tdc-secondary" data-testid="enable-notifications"
                        on:click=move |_| { alert::ask(); can_ask.set(false); }>
                        "Enable notifications"
                    </button>
                </Show>
                <span class="tdc-muted tdc-agent">{agent_name}</span>
                <button type="button" class="tdc-secondary" data-testid="signout" on:click=move |_| console.sign_out()>
                    "Sign out"
                </button>
            </div>
        </header>
        <p class="tdc-error tdc-banner" role="alert" data-testid="error">{move || console.error.get()}</p>
    }
}
