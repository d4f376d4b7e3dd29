//! The API tokens section of the account page.

use leptos::prelude::*;

use super::{CreateApiToken, RevokeApiToken, list_api_tokens, take_new_api_token};
use crate::components::form::{ErrorSummary, TextField};
use crate::components::form::{errors_of, field_error};
use crate::components::table::TableHead;
use crate::context::use_lang;
use crate::i18n::{Msg, fmt, t};

#[component]
pub fn ApiTokensSection() -> impl IntoView {
    let lang = use_lang();
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let errors = errors_of(create.value(), lang);
    // A token made by a post without JavaScript comes back once from the server.
    let revealed = Resource::new_blocking(|| (), |_| take_new_api_token());
    let tokens = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_api_tokens(),
    );
    view! {
        <section aria-labelledby="api-tokens-heading" id="api-tokens">
            <h2 class="heading-m" id="api-tokens-heading">{t(lang, Msg::ApiTokensHeading)}</h2>
            <p class="body">{t(lang, Msg::ApiTokensIntro)}</p>
            <Suspense>
                {move || {
                    let created = create.value().get().and_then(Result::ok);
                    Suspend::new(async move {
                        let token = created.or(revealed.await.ok().flatten());
                        token.map(|token| view! {
                            <div class="notice" role="status">
                                <p>{t(lang, Msg::ApiTokenCreated)}</p>
                                <p><code id="new-api-token">{token}</code></p>
                            </div>
                        })
                    })
                }}
            </Suspense>
            <Suspense>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Ok(list) if list.is_empty() => view! { <p class="body">{t(lang, Msg::ApiTokenNone)}</p> }.into_any(),
                        Ok(list) => view! {
                            <table class="table" id="api-token-list">
                                <TableHead columns=vec![(t(lang, Msg::ColName).into(), false), (t(lang, Msg::ApiTokenCreatedAt).into(), false), (t(lang, Msg::ApiTokenExpires).into(), false), (t(lang, Msg::ApiTokenLastUsed).into(), false), (String::new(), false)] />
                                <tbody>
                                    {list.into_iter().map(|token| {
                                        let label = fmt::api_token_revoke_named(lang, &token.name);
                                        view! {
                                            <tr>
                                                <td>{token.name.clone()}</td>
                                                <td>{token.created_at.clone()}</td>
                                                <td>
                                                    {token.expires_at.clone()}
                                                    {token.expired.then(|| view! { " " <strong class="tag">{t(lang, Msg::ApiTokenExpired)}</strong> })}
                                                </td>
                                                <td>{token.last_used_at.clone().unwrap_or_else(|| "—".into())}</td>
                                                <td>
                                                    <ActionForm action=revoke>
                                                        <input type="hidden" name="id" value=token.id.to_string() />
                                                        <button type="submit" class="button button--warning" aria-label=label>{t(lang, Msg::ApiTokenRevoke)}</button>
                                                    </ActionForm>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }
                        .into_any(),
                        Err(e) => view! { <p class="error-message">{e.user_message(lang)}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <ErrorSummary errors />
            <ActionForm action=create>
                <TextField id="name" label=t(lang, Msg::ApiTokenNameLabel) error=field_error(errors, "name") />
                <TextField id="valid_days" label=t(lang, Msg::ApiTokenValidDaysLabel) hint=t(lang, Msg::ApiTokenValidDaysHint) input_mode="numeric" error=field_error(errors, "valid_days") />
                <button type="submit" class="button button--secondary">{t(lang, Msg::ApiTokenCreate)}</button>
            </ActionForm>
        </section>
    }
}
