//! The department chooser shown before a new conversation when the project has several departments.

use leptos::prelude::*;

use crate::chat::Chat;
use crate::core::i18n::Text;

/// One button per department (as the page's `onBeforeDepartmentsFormRender` listeners left the
/// list); the choice goes with the conversation's first message.
#[component]
pub fn Departments() -> impl IntoView {
    let chat = expect_context::<Chat>();
    chat.intake.announce_departments();
    view! {
        <div class="tdw-departments" data-testid="departments" role="group" aria-labelledby="tdw-departments-title">
            <p id="tdw-departments-title">{move || chat.text(Text::ChooseDepartment)}</p>
            <For each=move || chat.intake.offered.get().unwrap_or_default() key=|(id, _)| id.clone() let:department>
                <button
                    type="button"
                    data-testid="department"
                    on:click={
                        let id = department.0.clone();
                        move |_| chat.intake.chosen_department.set(Some(id.clone()))
                    }
                >
                    {department.1.clone()}
                </button>
            </For>
        </div>
    }
}
