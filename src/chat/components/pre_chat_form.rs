//! The pre-chat form shown before a new conversation when `preChatForm` is on.

use leptos::prelude::*;
use serde_json::{Map, Value};

use crate::chat::Chat;
use crate::core::i18n::Text;
use crate::core::prechat::{Field, FieldKind};
use tiledesk_markdown::view::RichText;

/// The website owner's fields (or name and email), checked when submitted.
#[component]
pub fn PreChatForm() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let fields = chat.intake.pre_chat_fields();
    let values: Vec<RwSignal<String>> = fields
        .iter()
        .map(|f| RwSignal::new(f.value.clone()))
        .collect();
    let ticks: Vec<RwSignal<bool>> = fields.iter().map(|_| RwSignal::new(false)).collect();
    let errors: Vec<RwSignal<Option<String>>> =
        fields.iter().map(|_| RwSignal::new(None)).collect();
    let submit = {
        let (fields, values, ticks, errors) = (
            fields.clone(),
            values.clone(),
            ticks.clone(),
            errors.clone(),
        );
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let mut answers = Map::new();
            let mut valid = true;
            for (index, field) in fields.iter().enumerate() {
                let value = values[index].get_untracked().trim().to_owned();
                let problem = check(chat, field, &value, ticks[index].get_untracked());
                valid &= problem.is_none();
                errors[index].set(problem);
                match field.kind {
                    FieldKind::Static => {}
                    FieldKind::Checkbox => {
                        answers.insert(field.name.clone(), ticks[index].get_untracked().into());
                    }
                    _ => {
                        answers.insert(field.name.clone(), Value::String(value));
                    }
                }
            }
            if valid {
                chat.intake.submit_pre_chat(answers);
            }
        }
    };
    let rows = fields
        .into_iter()
        .enumerate()
        .map(|(index, field)| field_view(index, field, values[index], ticks[index], errors[index]))
        .collect_view();
    view! {
        <form class="tdw-prechat" data-testid="prechat" novalidate on:submit=submit>
            {rows}
            <button type="submit" class="tdw-primary" data-testid="prechat-submit">
                {move || chat.text(Text::StartChat)}
            </button>
        </form>
    }
}

/// Why `value` is not acceptable for `field`, in the visitor's language.
fn check(chat: Chat, field: &Field, value: &str, ticked: bool) -> Option<String> {
    let complaint = |key: Text| {
        Some(
            field
                .error_label
                .clone()
                .unwrap_or_else(|| chat.text(key).to_owned()),
        )
    };
    match field.kind {
        FieldKind::Static => None,
        FieldKind::Checkbox if field.mandatory && !ticked => complaint(Text::Required),
        FieldKind::Checkbox => None,
        _ if value.is_empty() => field.mandatory.then(|| complaint(Text::Required)).flatten(),
        _ => match &field.pattern {
            Some((pattern, flags))
                if !crate::chat::browser::regex(pattern, flags).is_some_and(|r| r.test(value)) =>
            {
                complaint(Text::InvalidValue)
            }
            _ => None,
        },
    }
}

fn field_view(
    index: usize,
    field: Field,
    value: RwSignal<String>,
    ticked: RwSignal<bool>,
    error: RwSignal<Option<String>>,
) -> AnyView {
    let id = format!("tdw-field-{index}");
    let error_id = format!("tdw-field-{index}-error");
    let invalid = move || error.with(Option::is_some).then_some("true");
    let message = {
        let error_id = error_id.clone();
        move || {
            error.get().map(|text| view! { <p class="tdw-field-error" id=error_id.clone() role="alert">{text}</p> })
        }
    };
    let described = move || error.with(Option::is_some).then(|| error_id.clone());
    let required = field.mandatory;
    match field.kind {
        FieldKind::Static => {
            view! { <div class="tdw-static"><RichText text=field.label /></div> }.into_any()
        }
        FieldKind::Checkbox => view! {
            <div class="tdw-field tdw-check">
                <input
                    type="checkbox"
                    id=id.clone()
                    name=field.name
                    required=required
                    aria-invalid=invalid
                    aria-describedby=described
                    prop:checked=move || ticked.get()
                    on:change=move |event| ticked.set(event_target_checked(&event))
                />
                <label for=id><RichText text=field.label /></label>
                {message}
            </div>
        }
        .into_any(),
        FieldKind::Textarea(rows) => view! {
            <div class="tdw-field">
                <label for=id.clone()>{field.label}</label>
                <textarea
                    id=id
                    name=field.name
                    rows=rows.to_string()
                    required=required
                    aria-invalid=invalid
                    aria-describedby=described
                    prop:value=move || value.get()
                    on:input=move |event| value.set(event_target_value(&event))
                ></textarea>
                {message}
            </div>
        }
        .into_any(),
        FieldKind::Text => view! {
            <div class="tdw-field">
                <label for=id.clone()>{field.label}</label>
                <input
                    type="text"
                    id=id
                    name=field.name
                    required=required
                    aria-invalid=invalid
                    aria-describedby=described
                    prop:value=move || value.get()
                    on:input=move |event| value.set(event_target_value(&event))
                />
                {message}
            </div>
        }
        .into_any(),
    }
}
