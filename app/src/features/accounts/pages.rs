//! The account pages. Each form is an `ActionForm`: a plain POST with redirect without
//! JavaScript, an in-page request with it; errors come back as an error summary either way.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use super::{Register, SignIn, SignOut, VerifyEmail, whoami};
use crate::components::form::{ErrorSummary, FieldErrors, TextField};
use crate::context::use_lang;
use crate::error::AppError;
use crate::i18n::{Lang, Msg, t};
use crate::policy::Role;

/// Field errors of an action's last result, for the summary and the fields.
fn errors_of<T: Clone + Send + Sync + 'static>(
    value: impl Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
    lang: Lang,
) -> Signal<FieldErrors> {
    Signal::derive(move || match value.get() {
        Some(Err(AppError::Fields(problems))) => problems,
        Some(Err(other)) => vec![("main-content".to_string(), other.user_message(lang))],
        _ => Vec::new(),
    })
}

fn field_error(errors: Signal<FieldErrors>, id: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || {
        errors
            .get()
            .into_iter()
            .find(|(field, _)| field == id)
            .map(|(_, message)| message)
    })
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<Register>::new();
    let errors = errors_of(action.value(), lang);
    let kind_error = field_error(errors, "org_kind");
    view! {
        <Title text=t(lang, Msg::RegisterTitle) />
        <h1 class="heading-xl">{t(lang, Msg::RegisterTitle)}</h1>
        <p class="body">{t(lang, Msg::RegisterIntro)}</p>
        <ErrorSummary errors />
        <ActionForm action>
            <div class=move || {
                if kind_error.get().is_some() { "form-group form-group--error" } else { "form-group" }
            }>
                <fieldset class="fieldset" id="org_kind">
                    <legend class="label">{t(lang, Msg::OrgKindLegend)}</legend>
                    {move || kind_error.get().map(|e| view! { <p class="error-message">{e}</p> })}
                    <div class="radios">
                        <div class="radio">
                            <input type="radio" id="org_kind-importer" name="org_kind" value="importer" />
                            <label for="org_kind-importer">{t(lang, Msg::OrgKindImporter)}</label>
                        </div>
                        <div class="radio">
                            <input type="radio" id="org_kind-broker" name="org_kind" value="broker" />
                            <label for="org_kind-broker">{t(lang, Msg::OrgKindBroker)}</label>
                        </div>
                    </div>
                </fieldset>
            </div>
            <TextField id="org_name" label=t(lang, Msg::OrgName) error=field_error(errors, "org_name") autocomplete="organization" />
            <TextField
                id="tax_id"
                label=t(lang, Msg::TaxIdLabel)
                hint=t(lang, Msg::TaxIdHint)
                error=field_error(errors, "tax_id")
                input_mode="numeric"
            />
            <TextField id="full_name" label=t(lang, Msg::FullName) error=field_error(errors, "full_name") autocomplete="name" />
            <TextField
                id="email"
                label=t(lang, Msg::Email)
                hint=t(lang, Msg::EmailHint)
                error=field_error(errors, "email")
                input_type="email"
                input_mode="email"
                autocomplete="email"
            />
            <TextField
                id="password"
                label=t(lang, Msg::Password)
                hint=t(lang, Msg::PasswordHint)
                error=field_error(errors, "password")
                input_type="password"
                autocomplete="new-password"
            />
            <button type="submit" class="button">{t(lang, Msg::RegisterSubmit)}</button>
        </ActionForm>
    }
}

#[component]
pub fn RegisterDonePage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=t(lang, Msg::RegisterDoneTitle) />
        <h1 class="heading-xl">{t(lang, Msg::RegisterDoneTitle)}</h1>
        <p class="body">{t(lang, Msg::RegisterDoneBody)}</p>
    }
}

#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<VerifyEmail>::new();
    let errors = errors_of(action.value(), lang);
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    view! {
        <Title text=t(lang, Msg::VerifyTitle) />
        <h1 class="heading-xl">{t(lang, Msg::VerifyTitle)}</h1>
        <ErrorSummary errors />
        <p class="body">{t(lang, Msg::VerifyBody)}</p>
        <ActionForm action>
            <input type="hidden" name="token" value=token />
            <button type="submit" class="button">{t(lang, Msg::VerifySubmit)}</button>
        </ActionForm>
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<SignIn>::new();
    let errors = errors_of(action.value(), lang);
    let query = use_query_map();
    let verified = move || query.with(|q| q.get("verified").is_some());
    view! {
        <Title text=t(lang, Msg::SignInTitle) />
        <h1 class="heading-xl">{t(lang, Msg::SignInTitle)}</h1>
        <Show when=verified>
            <div class="notice" role="status">{t(lang, Msg::VerifiedNotice)}</div>
        </Show>
        <ErrorSummary errors />
        <ActionForm action>
            <TextField
                id="email"
                label=t(lang, Msg::Email)
                error=field_error(errors, "email")
                input_type="email"
                input_mode="email"
                autocomplete="username"
            />
            <TextField id="password" label=t(lang, Msg::Password) input_type="password" autocomplete="current-password" />
            <button type="submit" class="button">{t(lang, Msg::SignInSubmit)}</button>
        </ActionForm>
        <p class="body">
            {t(lang, Msg::SignInNoAccount)} " " <a href="/register">{t(lang, Msg::NavRegister)}</a>
        </p>
    }
}

pub fn role_name(lang: Lang, role: Role) -> &'static str {
    t(
        lang,
        match role {
            Role::OrgAdmin => Msg::RoleOrgAdmin,
            Role::Trader => Msg::RoleTrader,
            Role::Compliance => Msg::RoleCompliance,
            Role::CustomsOfficer => Msg::RoleCustomsOfficer,
            Role::ValuationAdmin => Msg::RoleValuationAdmin,
        },
    )
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let lang = use_lang();
    let account = Resource::new_blocking(|| (), |_| whoami());
    view! {
        <Title text=t(lang, Msg::AccountTitle) />
        <Suspense>
            {move || Suspend::new(async move {
                match account.await {
                    Ok(Some(me)) => {
                        view! {
                            <h1 class="heading-xl">{t(lang, Msg::AccountTitle)}</h1>
                            <dl class="summary-list">
                                <div class="summary-list__row">
                                    <dt>{t(lang, Msg::FullName)}</dt>
                                    <dd>{me.full_name}</dd>
                                </div>
                                <div class="summary-list__row">
                                    <dt>{t(lang, Msg::Email)}</dt>
                                    <dd>{me.email}</dd>
                                </div>
                                <div class="summary-list__row">
                                    <dt>{t(lang, Msg::AccountOrganisation)}</dt>
                                    <dd>{me.organisation_name}</dd>
                                </div>
                                <div class="summary-list__row">
                                    <dt>{t(lang, Msg::AccountRole)}</dt>
                                    <dd>{role_name(lang, me.role)}</dd>
                                </div>
                            </dl>
                            <SignOutButton />
                        }
                            .into_any()
                    }
                    _ => view! { <Redirect path="/sign-in" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn SignOutButton() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<SignOut>::new();
    view! {
        <ActionForm action attr:class="inline-form">
            <button type="submit" class="button button--secondary">{t(lang, Msg::NavSignOut)}</button>
        </ActionForm>
    }
}
