//! The department chooser shown before a new conversation when the project has several departments.

use leptos::prelude::*;

use crate::chat::Chat;
use crate::core::i18n::Text;

/// One button per department; the choice goes with the conversation's first message.
#[component]
pub fn Departments() -> impl IntoView {
    let chat = expect_context::<Chat>();
    chat.intake.announce_departments();
    view! {
        <div class="tdw-departments" data-testid="departments" role="group" aria-labelledby="tdw-departments-title">
            <p id="tdw-departments-title">{move || chat.text(Text::ChooseDepartment)}</p>
            <For each=move || chat.intake.departments.get() key=|department| department.id.clone() let:department>
                <button
                    type="button"
                    data-testid="department"
                    on:click=move |_| chat.intake.chosen_department.set(Some(department.id.clone()))
                >
                    {department.name.clone()}
                </button>
            </For>
        </div>
    }
}
