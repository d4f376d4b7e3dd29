//! The account pages. Each form is an `ActionForm`: a plain POST with redirect without
//! JavaScript, an in-page request with it; errors come back as an error summary either way.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    ChangePassword, EndSession, Register, RequestPasswordReset, ResetPassword, SignIn, SignOut,
    VerifyEmail, my_sessions,
};
use crate::components::form::{ErrorSummary, RadioGroup, TextField, errors_of, field_error};
use crate::context::use_lang;
use crate::i18n::{Msg, fmt, t};

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

#[component]
pub fn SessionsList() -> impl IntoView {
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
                                    let label = fmt::sessions_end_label_at(lang, &session.started);
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
pub fn ChangePasswordForm() -> impl IntoView {
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
