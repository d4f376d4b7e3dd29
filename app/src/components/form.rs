//! Form building blocks: an error summary that links to each field, and a text field with its
//! label, hint and error message wired up with `aria-describedby`.

use leptos::prelude::*;

use crate::context::use_lang;
use crate::i18n::{Msg, t};

/// A problem with one field: the field's id and the message in the page language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field_id: &'static str,
    pub message: &'static str,
}

/// Shown at the top of a form after a submission with errors; takes focus on no-JS reloads via
/// `autofocus` so screen readers announce it.
#[component]
pub fn ErrorSummary(errors: Vec<FieldError>) -> impl IntoView {
    let lang = use_lang();
    (!errors.is_empty()).then(|| {
        view! {
            <div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
                <h2 class="error-summary__title" id="error-summary-title">
                    {t(lang, Msg::ErrorSummaryTitle)}
                </h2>
                <ul class="error-summary__list">
                    {errors
                        .into_iter()
                        .map(|e| view! { <li><a href=format!("#{}", e.field_id)>{e.message}</a></li> })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}

/// A labelled text input. `value` and `on_input` let a caller make it live after hydration; the
/// server-rendered `value` keeps what the user typed when a no-JS submission comes back.
#[component]
pub fn TextField(
    id: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = None)] error: Option<&'static str>,
    #[prop(into)] value: Signal<String>,
    #[prop(optional, into)] on_input: Option<Callback<String>>,
    #[prop(default = "text")] input_mode: &'static str,
    #[prop(optional)] prefix: Option<&'static str>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = [
        hint.map(|_| hint_id.clone()),
        error.map(|_| error_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let group_class = if error.is_some() {
        "form-group form-group--error"
    } else {
        "form-group"
    };
    let input_class = if error.is_some() {
        "input input--error"
    } else {
        "input"
    };
    view! {
        <div class=group_class>
            <label class="label" for=id>{label}</label>
            {hint.map(|h| view! { <div class="hint" id=hint_id.clone()>{h}</div> })}
            {error.map(|e| view! { <p class="error-message" id=error_id.clone()>{e}</p> })}
            <div class="input-wrapper">
                {prefix.map(|p| view! { <span class="input-prefix" aria-hidden="true">{p}</span> })}
                <input
                    class=input_class
                    id=id
                    name=id
                    type="text"
                    inputmode=input_mode
                    autocomplete="off"
                    spellcheck="false"
                    aria-describedby=(!described_by.is_empty()).then_some(described_by)
                    aria-invalid=error.map(|_| "true")
                    value=move || value.get()
                    on:input=move |ev| {
                        if let Some(cb) = on_input {
                            cb.run(event_target_value(&ev));
                        }
                    }
                />
            </div>
        </div>
    }
}

/// Message for an amount parse error, in the page language.
pub fn amount_error_message(error: crate::domain::amount::AmountError) -> &'static str {
    use crate::domain::amount::AmountError::*;
    let lang = use_lang();
    t(
        lang,
        match error {
            Invalid => Msg::ErrorAmountInvalid,
            Negative => Msg::ErrorAmountNegative,
            TooLarge => Msg::ErrorAmountTooLarge,
            TooPrecise => Msg::ErrorAmountTooPrecise,
        },
    )
}
