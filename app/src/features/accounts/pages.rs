//! The account pages. Each form is an `ActionForm`: a plain POST with redirect without
//! JavaScript, an in-page request with it; errors come back as an error summary either way.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use super::{
    ChangePassword, EndSession, Register, RequestPasswordReset, ResetPassword, SignIn, SignOut,
    VerifyEmail, my_sessions, whoami,
};
use crate::components::form::{ErrorSummary, FieldErrors, RadioGroup, TextField};
use crate::context::use_lang;
use crate::error::AppError;
use crate::features::members::pages::MembersSection;
use crate::i18n::{Lang, Msg, t};
use crate::policy::{OrgKind, Role};

/// Field errors of an action's last result, for the summary and the fields.
pub(crate) fn errors_of<T: Clone + Send + Sync + 'static>(
    value: impl Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
    lang: Lang,
) -> Signal<FieldErrors> {
    Signal::derive(move || match value.get() {
        Some(Err(AppError::Fields(problems))) => problems,
        Some(Err(other)) => vec![("main-content".to_string(), other.user_message(lang))],
        _ => Vec::new(),
    })
}

pub(crate) fn field_error(errors: Signal<FieldErrors>, id: &'static str) -> Signal<Option<String>> {
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
    view! {
        <Title text=t(lang, Msg::RegisterTitle) />
        <h1 class="heading-xl">{t(lang, Msg::RegisterTitle)}</h1>
        <p class="body">{t(lang, Msg::RegisterIntro)}</p>
        <ErrorSummary errors />
        <ActionForm action>
            <RadioGroup
                id="org_kind"
                legend=t(lang, Msg::OrgKindLegend)
                options=vec![("importer", t(lang, Msg::OrgKindImporter)), ("broker", t(lang, Msg::OrgKindBroker))]
                error=field_error(errors, "org_kind")
            />
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
    let reset = move || query.with(|q| q.get("reset").is_some());
    view! {
        <Title text=t(lang, Msg::SignInTitle) />
        <h1 class="heading-xl">{t(lang, Msg::SignInTitle)}</h1>
        <Show when=verified>
            <div class="notice" role="status">{t(lang, Msg::VerifiedNotice)}</div>
        </Show>
        <Show when=reset>
            <div class="notice" role="status">{t(lang, Msg::ResetDoneNotice)}</div>
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
            <a href="/forgot-password">{t(lang, Msg::ForgotLink)}</a>
        </p>
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
    let query = use_query_map();
    let password_changed = move || query.with(|q| q.get("password").as_deref() == Some("changed"));
    view! {
        <Title text=t(lang, Msg::AccountTitle) />
        <Suspense>
            {move || Suspend::new(async move {
                match account.await {
                    Ok(Some(me)) => {
                        let links = match (me.org_kind, me.role) {
                            (OrgKind::Importer, Role::OrgAdmin) => {
                                Some(view! { <li><a href="/mandates">{t(lang, Msg::MandatesTitle)}</a></li> }.into_any())
                            }
                            (OrgKind::Broker, _) => {
                                Some(view! { <li><a href="/act-for">{t(lang, Msg::ActForTitle)}</a></li> }.into_any())
                            }
                            _ => None,
                        };
                        view! {
                            <h1 class="heading-xl">{t(lang, Msg::AccountTitle)}</h1>
                            <Show when=password_changed>
                                <div class="notice" role="status">{t(lang, Msg::ChangePasswordDone)}</div>
                            </Show>
                            <dl class="summary-list">
                                <SummaryRow label=t(lang, Msg::FullName) value=me.full_name />
                                <SummaryRow label=t(lang, Msg::Email) value=me.email />
                                <SummaryRow label=t(lang, Msg::AccountOrganisation) value=me.organisation_name />
                                <SummaryRow label=t(lang, Msg::AccountRole) value=role_name(lang, me.role).to_string() />
                                {me.acting_for_name.map(|name| view! { <SummaryRow label=t(lang, Msg::ActingFor) value=name /> })}
                            </dl>
                            {links.map(|link| view! {
                                <h2 class="heading-m">{t(lang, Msg::AccountLinks)}</h2>
                                <ul class="link-list">{link}</ul>
                            })}
                            {matches!(me.org_kind, OrgKind::Importer | OrgKind::Broker).then(|| view! { <crate::features::api_tokens::pages::ApiTokensSection /> })}
                            {(me.role == Role::ValuationAdmin).then(|| view! {
                                <h2 class="heading-m">{t(lang, Msg::AdminLinks)}</h2>
                                <ul class="list">
                                    <li><a href="/admin/bands">{t(lang, Msg::AdminBandsTitle)}</a></li>
                                    <li><a href="/admin/reference">{t(lang, Msg::RefTitle)}</a></li>
                                </ul>
                            })}
                            {matches!(me.role, Role::OrgAdmin | Role::ValuationAdmin).then(|| view! { <MembersSection /> })}
                            <SessionsList />
                            <ChangePasswordForm />
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
fn SummaryRow(label: &'static str, value: String) -> impl IntoView {
    view! {
        <div class="summary-list__row">
            <dt>{label}</dt>
            <dd>{value}</dd>
        </div>
    }
}

#[component]
fn SessionsList() -> impl IntoView {
    let lang = use_lang();
    let end = ServerAction::<EndSession>::new();
    let sessions = Resource::new_blocking(move || end.version().get(), |_| my_sessions());
    view! {
        <h2 class="heading-m">{t(lang, Msg::SessionsTitle)}</h2>
        <Suspense>
            {move || Suspend::new(async move {
                let list = sessions.await.unwrap_or_default();
                view! {
                    <table class="table">
                        <thead>
                            <tr>
                                <th scope="col">{t(lang, Msg::SessionsStarted)}</th>
                                <th scope="col">{t(lang, Msg::SessionsLastSeen)}</th>
                                <th scope="col">{t(lang, Msg::SessionsDevice)}</th>
                                <th scope="col"><span class="visually-hidden">{t(lang, Msg::SessionsEnd)}</span></th>
                            </tr>
                        </thead>
                        <tbody>
                            {list
                                .into_iter()
                                .map(|session| {
                                    let label = format!("{} {}", t(lang, Msg::SessionsEndLabel), session.started);
                                    view! {
                                        <tr>
                                            <td>{session.started}</td>
                                            <td>{session.last_seen}</td>
                                            <td class="table__agent">{session.user_agent}</td>
                                            <td>
                                                {if session.current {
                                                    view! { <strong>{t(lang, Msg::SessionsThis)}</strong> }.into_any()
                                                } else {
                                                    view! {
                                                        <ActionForm action=end>
                                                            <input type="hidden" name="id" value=session.id />
                                                            <button type="submit" class="button button--secondary" aria-label=label>
                                                                {t(lang, Msg::SessionsEnd)}
                                                            </button>
                                                        </ActionForm>
                                                    }
                                                        .into_any()
                                                }}
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
            })}
        </Suspense>
    }
}

#[component]
fn ChangePasswordForm() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<ChangePassword>::new();
    let errors = errors_of(action.value(), lang);
    view! {
        <h2 class="heading-m">{t(lang, Msg::ChangePasswordTitle)}</h2>
        <ErrorSummary errors />
        <ActionForm action>
            <TextField
                id="current_password"
                label=t(lang, Msg::CurrentPassword)
                error=field_error(errors, "current_password")
                input_type="password"
                autocomplete="current-password"
            />
            <TextField
                id="new_password"
                label=t(lang, Msg::NewPassword)
                hint=t(lang, Msg::PasswordHint)
                error=field_error(errors, "new_password")
                input_type="password"
                autocomplete="new-password"
            />
            <button type="submit" class="button">{t(lang, Msg::ChangePasswordSubmit)}</button>
        </ActionForm>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<RequestPasswordReset>::new();
    view! {
        <Title text=t(lang, Msg::ForgotTitle) />
        <h1 class="heading-xl">{t(lang, Msg::ForgotTitle)}</h1>
        <p class="body">{t(lang, Msg::ForgotIntro)}</p>
        <ActionForm action>
            <TextField id="email" label=t(lang, Msg::Email) input_type="email" input_mode="email" autocomplete="email" />
            <button type="submit" class="button">{t(lang, Msg::ForgotSubmit)}</button>
        </ActionForm>
    }
}

#[component]
pub fn ForgotSentPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=t(lang, Msg::ForgotSentTitle) />
        <h1 class="heading-xl">{t(lang, Msg::ForgotSentTitle)}</h1>
        <p class="body">{t(lang, Msg::ForgotSentBody)}</p>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<ResetPassword>::new();
    let errors = errors_of(action.value(), lang);
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    view! {
        <Title text=t(lang, Msg::ResetTitle) />
        <h1 class="heading-xl">{t(lang, Msg::ResetTitle)}</h1>
        <ErrorSummary errors />
        <ActionForm action>
            <input type="hidden" name="token" value=token />
            <TextField
                id="password"
                label=t(lang, Msg::NewPassword)
                hint=t(lang, Msg::PasswordHint)
                error=field_error(errors, "password")
                input_type="password"
                autocomplete="new-password"
            />
            <button type="submit" class="button">{t(lang, Msg::ResetSubmit)}</button>
        </ActionForm>
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
