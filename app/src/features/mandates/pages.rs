use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use super::{ActFor, GrantMandate, RevokeMandate, list_mandates, mandating_importers};
use crate::components::form::{ErrorSummary, TextField};
use crate::components::form::{errors_of, field_error};
use crate::context::use_lang;
use crate::error::AppError;
use crate::i18n::{Msg, fmt, t};

#[component]
pub fn MandatesPage() -> impl IntoView {
    let lang = use_lang();
    let grant = ServerAction::<GrantMandate>::new();
    let revoke = ServerAction::<RevokeMandate>::new();
    let errors = errors_of(grant.value(), lang);
    let mandates = Resource::new_blocking(
        move || (grant.version().get(), revoke.version().get()),
        |_| list_mandates(),
    );
    view! {
        <Title text=t(lang, Msg::MandatesTitle) />
        <h1 class="heading-xl">{t(lang, Msg::MandatesTitle)}</h1>
        <p class="body">{t(lang, Msg::MandatesIntro)}</p>
        <Suspense>
            {move || Suspend::new(async move {
                match mandates.await {
                    Err(AppError::Unauthenticated) => view! { <Redirect path="/sign-in" /> }.into_any(),
                    Err(error) => view! { <p class="error-message">{error.user_message(lang)}</p> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="body">{t(lang, Msg::MandatesNone)}</p> }.into_any(),
                    Ok(list) => {
                        view! {
                            <table class="table">
                                <thead>
                                    <tr>
                                        <th scope="col">{t(lang, Msg::MandateBroker)}</th>
                                        <th scope="col">{t(lang, Msg::TaxIdLabel)}</th>
                                        <th scope="col">{t(lang, Msg::MandateGranted)}</th>
                                        <th scope="col"><span class="visually-hidden">{t(lang, Msg::MandateRevoke)}</span></th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {list
                                        .into_iter()
                                        .map(|m| {
                                            let label = fmt::mandate_revoke_named(lang, &m.broker_name);
                                            view! {
                                                <tr>
                                                    <td>{m.broker_name}</td>
                                                    <td>{m.broker_tax_id}</td>
                                                    <td>{m.granted_at}</td>
                                                    <td>
                                                        <ActionForm action=revoke>
                                                            <input type="hidden" name="id" value=m.id.to_string() />
                                                            <button type="submit" class="button button--warning" aria-label=label>
                                                                {t(lang, Msg::MandateRevoke)}
                                                            </button>
                                                        </ActionForm>
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
        <h2 class="heading-l">{t(lang, Msg::MandateGrantHeading)}</h2>
        <ErrorSummary errors />
        <ActionForm action=grant>
            <TextField
                id="broker_tax_id"
                label=t(lang, Msg::MandateBrokerRuc)
                hint=t(lang, Msg::TaxIdHint)
                error=field_error(errors, "broker_tax_id")
                input_mode="numeric"
            />
            <button type="submit" class="button">{t(lang, Msg::MandateGrantSubmit)}</button>
        </ActionForm>
    }
}

#[component]
pub fn ActForPage() -> impl IntoView {
    let lang = use_lang();
    let choose = ServerAction::<ActFor>::new();
    let importers = Resource::new_blocking(|| (), |_| mandating_importers());
    view! {
        <Title text=t(lang, Msg::ActForTitle) />
        <h1 class="heading-xl">{t(lang, Msg::ActForTitle)}</h1>
        <p class="body">{t(lang, Msg::ActForIntro)}</p>
        <Suspense>
            {move || Suspend::new(async move {
                match importers.await {
                    Err(AppError::Unauthenticated) => view! { <Redirect path="/sign-in" /> }.into_any(),
                    Err(error) => view! { <p class="error-message">{error.user_message(lang)}</p> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="body">{t(lang, Msg::ActForNone)}</p> }.into_any(),
                    Ok(list) => {
                        view! {
                            <ul class="choice-list">
                                {list
                                    .into_iter()
                                    .map(|importer| {
                                        let label = fmt::act_for_choose_named(lang, &importer.name);
                                        view! {
                                            <li>
                                                <span class="choice-list__name">{importer.name}</span>
                                                " "
                                                <span class="hint">{importer.tax_id}</span>
                                                <ActionForm action=choose>
                                                    <input type="hidden" name="importer" value=importer.id.to_string() />
                                                    <button type="submit" class="button button--secondary" aria-label=label>
                                                        {t(lang, Msg::ActForChoose)}
                                                    </button>
                                                </ActionForm>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
