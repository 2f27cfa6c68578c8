//! The team page: members with role, availability and open conversations; inviting an agent.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::web::state::Console;

/// The team and the invitation form.
#[component]
pub fn TeamPage() -> impl IntoView {
    let console = expect_context::<Console>();
    let email = RwSignal::new(String::new());
    let role = RwSignal::new("agent".to_owned());
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (address, chosen) = (email.get_untracked(), role.get_untracked());
        spawn_local(async move {
            match console.invite(address.clone(), chosen.clone()).await {
                Ok(()) => {
                    outcome.set(Some(Ok(format!(
                        "{} is now a member ({chosen}).",
                        address.trim()
                    ))));
                    email.set(String::new());
                }
                Err(error) => outcome.set(Some(Err(error))),
            }
        });
    };
    Effect::new(move |_| console.load_team());
    view! {
        <main class="tdc-team">
            <section aria-labelledby="tdc-team-title">
                <h2 id="tdc-team-title">"Team"</h2>
                <table data-testid="team">
                    <thead><tr><th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Role"</th>
                        <th scope="col">"Availability"</th><th scope="col">"Open conversations"</th></tr></thead>
                    <tbody>
                        <For each=move || console.team.get() key=|m| (m.id.clone(), m.role.clone(), m.user_available, m.number_assigned_requests) let:member>
                            <tr data-testid="member">
                                <td>{member.id_user.display_name()}</td>
                                <td>{member.id_user.email.clone().unwrap_or_default()}</td>
                                <td>{member.role.clone()}</td>
                                <td>{if member.user_available { "Available" } else { "Unavailable" }}</td>
                                <td>{member.number_assigned_requests}</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </section>
            <section aria-labelledby="tdc-invite-title" class="tdc-card">
                <h2 id="tdc-invite-title">"Invite a teammate"</h2>
                <p class="tdc-muted">"They sign up on this server first; then invite them by their email."</p>
                <form on:submit=submit data-testid="invite">
                    <label for="tdc-invite-email">"Email"</label>
                    <input id="tdc-invite-email" type="email" required data-testid="invite-email" bind:value=email />
                    <label for="tdc-invite-role">"Role"</label>
                    <select id="tdc-invite-role" data-testid="invite-role"
                        on:change=move |ev| role.set(event_target_value(&ev)) prop:value=move || role.get()>
                        <option value="agent">"Agent"</option>
                        <option value="supervisor">"Supervisor"</option>
                        <option value="admin">"Admin"</option>
                    </select>
                    <button type="submit" class="tdc-primary" data-testid="invite-submit">"Invite"</button>
                    <p role="status" data-testid="invite-outcome"
                        class:tdc-error=move || matches!(outcome.get(), Some(Err(_)))>
                        {move || outcome.get().map(|o| match o { Ok(text) | Err(text) => text })}
                    </p>
                </form>
            </section>
        </main>
    }
}
