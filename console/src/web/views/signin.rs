//! The sign-in form: email and password.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::web::state::Console;

/// Signs the agent in.
#[component]
pub fn SignIn() -> impl IntoView {
    let console = expect_context::<Console>();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            let result = console
                .sign_in(email.get_untracked(), password.get_untracked())
                .await;
            busy.set(false);
            if let Err(error) = result {
                failure.set(Some(error));
            }
        });
    };
    view! {
        <main class="tdc-signin">
            <form on:submit=submit data-testid="signin">
                <h1>"Agent console"</h1>
                <p class="tdc-muted">"Sign in with your tiledesk-local account."</p>
                <label for="tdc-email">"Email"</label>
                <input id="tdc-email" type="email" autocomplete="username" required
                    data-testid="email" bind:value=email />
                <label for="tdc-password">"Password"</label>
                <input id="tdc-password" type="password" autocomplete="current-password" required
                    data-testid="password" bind:value=password />
                <p class="tdc-error" role="alert" data-testid="signin-error">
                    {move || failure.get().or_else(|| console.error.get())}
                </p>
                <button type="submit" class="tdc-primary" disabled=busy data-testid="signin-submit">
                    {move || if busy.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
        </main>
    }
}
