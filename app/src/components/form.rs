//! Form building blocks: an error summary that links to each field, and a text field with its
//! label, hint and error message wired up with `aria-describedby`.

use leptos::prelude::*;

use crate::context::use_lang;
use crate::error::AppError;
use crate::i18n::{Lang, Msg, t};

/// Problems with fields: (field id, message in the page language).
pub type FieldErrors = Vec<(String, String)>;

/// Shown at the top of a form after a submission with errors, each entry linking to its field.
#[component]
pub fn ErrorSummary(#[prop(into)] errors: Signal<FieldErrors>) -> impl IntoView {
    let lang = use_lang();
    move || {
        let errors = errors.get();
        (!errors.is_empty()).then(|| {
            view! {
                <div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
                    <h2 class="error-summary__title" id="error-summary-title">
                        {t(lang, Msg::ErrorSummaryTitle)}
                    </h2>
                    <ul class="error-summary__list">
                        {errors
                            .into_iter()
                            .map(|(field, message)| view! { <li><a href=format!("#{field}")>{message}</a></li> })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// A field's `aria-describedby`: its hint's id (when it has a hint) and, while `has_error`
/// holds, its error message's id; none when neither is there.
pub fn described_by(
    hint_id: Option<String>,
    error_id: String,
    has_error: impl Fn() -> bool + Send + Sync + 'static,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    move || {
        let ids: Vec<&str> = [hint_id.as_deref(), has_error().then_some(error_id.as_str())]
            .into_iter()
            .flatten()
            .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// A labelled input with optional hint and error, wired with `aria-describedby`; `value` keeps
/// what the user typed when a submission comes back. A live figure beside it listens to its
/// `input` events from an island around the form.
#[component]
pub fn TextField(
    id: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(into, optional)] error: MaybeProp<String>,
    #[prop(into, optional)] value: MaybeProp<String>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "text")] input_mode: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    /// Shown before the input, such as a currency code.
    #[prop(optional, into)]
    prefix: Option<String>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let has_error = move || error.get().is_some();
    let described_by = described_by(
        hint.is_some().then(|| hint_id.clone()),
        error_id.clone(),
        has_error,
    );
    view! {
        <div class=move || if has_error() { "form-group form-group--error" } else { "form-group" }>
            <label class="label" for=id>{label}</label>
            {hint.map(|h| view! { <div class="hint" id=hint_id.clone()>{h}</div> })}
            {move || error.get().map(|e| view! { <p class="error-message" id=error_id.clone()>{e}</p> })}
            <div class="input-wrapper">
                {prefix.map(|p| view! { <span class="input-prefix" aria-hidden="true">{p}</span> })}
                <input
                    class=move || if has_error() { "input input--error" } else { "input" }
                    id=id
                    name=id
                    type=input_type
                    inputmode=input_mode
                    autocomplete=autocomplete
                    spellcheck="false"
                    aria-describedby=described_by
                    aria-invalid=move || has_error().then_some("true")
                    value=move || value.get()
                />
            </div>
        </div>
    }
}

/// A labelled group of radio buttons (`options` are value and label), with its error message.
/// The fieldset carries `id` so the error summary can link to it; `selected` is checked.
#[component]
pub fn RadioGroup(
    id: &'static str,
    legend: &'static str,
    options: Vec<(&'static str, &'static str)>,
    #[prop(into, optional)] error: MaybeProp<String>,
    #[prop(optional)] selected: Option<&'static str>,
    /// Side by side (for two short answers such as yes and no).
    #[prop(optional)]
    inline: bool,
) -> impl IntoView {
    view! {
        <div class=move || if error.get().is_some() { "form-group form-group--error" } else { "form-group" }>
            <fieldset class="fieldset" id=id>
                <legend class="label">{legend}</legend>
                {move || error.get().map(|e| view! { <p class="error-message">{e}</p> })}
                <div class=if inline { "radios radios--inline" } else { "radios" }>
                    {options
                        .into_iter()
                        .map(|(value, label)| {
                            let option_id = format!("{id}-{value}");
                            view! {
                                <div class="radio">
                                    <input type="radio" id=option_id.clone() name=id value=value checked=selected == Some(value) />
                                    <label for=option_id>{label}</label>
                                </div>
                            }
                        })
                        .collect_view()}
                </div>
            </fieldset>
        </div>
    }
}

/// A labelled group of checkboxes sharing `name` (`options` are value and label); the ones in
/// `checked` are ticked. Each box's id is `<name>-<value>`.
#[component]
pub fn CheckboxGroup(
    id: &'static str,
    name: &'static str,
    legend: &'static str,
    options: Vec<(&'static str, &'static str)>,
    checked: Vec<&'static str>,
) -> impl IntoView {
    view! {
        <fieldset class="fieldset" id=id>
            <legend class="label">{legend}</legend>
            <div class="radios">
                {options
                    .into_iter()
                    .map(|(value, label)| {
                        let option_id = format!("{name}-{value}");
                        let is_checked = checked.contains(&value);
                        view! {
                            <div class="radio">
                                <input type="checkbox" id=option_id.clone() name=name value=value checked=is_checked />
                                <label for=option_id>{label}</label>
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
        </fieldset>
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

/// Field errors of an action's last result, for the summary and the fields.
pub fn errors_of<T: Clone + Send + Sync + 'static>(
    value: impl Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
    lang: Lang,
) -> Signal<FieldErrors> {
    Signal::derive(move || match value.get() {
        Some(Err(AppError::Fields(problems))) => problems,
        Some(Err(other)) => vec![("main-content".to_string(), other.user_message(lang))],
        _ => Vec::new(),
    })
}

pub fn field_error(errors: Signal<FieldErrors>, id: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || {
        errors
            .get()
            .into_iter()
            .find(|(field, _)| field == id)
            .map(|(_, message)| message)
    })
}

/// A labelled select with an optional hint and its error; the first option, `empty` (by
/// default "choose one"), has an empty value. `name` defaults to `id` (a filter form may reuse
/// a name another form on the page has as id).
#[component]
pub fn Select(
    id: &'static str,
    #[prop(optional)] name: Option<&'static str>,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    /// The first option, with an empty value.
    #[prop(optional)]
    empty: Option<&'static str>,
    options: Vec<(String, String)>,
    selected: String,
    #[prop(into, optional)] error: MaybeProp<String>,
) -> impl IntoView {
    let lang = use_lang();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let has_error = move || error.get().is_some();
    let described_by = described_by(
        hint.is_some().then(|| hint_id.clone()),
        error_id.clone(),
        has_error,
    );
    view! {
        <div class=move || if has_error() { "form-group form-group--error" } else { "form-group" }>
            <label class="label" for=id>{label}</label>
            {hint.map(|h| view! { <div class="hint" id=hint_id.clone()>{h}</div> })}
            {move || error.get().map(|e| view! { <p class="error-message" id=error_id.clone()>{e}</p> })}
            <select
                class="input select"
                id=id
                name=name.unwrap_or(id)
                aria-describedby=described_by
                aria-invalid=move || has_error().then_some("true")
            >
                <option value="">{empty.unwrap_or_else(|| t(lang, Msg::ChooseOne))}</option>
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let is_selected = value == selected;
                        view! { <option value=value selected=is_selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
