//! "Is this page useful?": the footer question of government services. A small, real
//! state-changing server function: it posts without JavaScript and redirects back.

#[cfg(feature = "ssr")]
mod repo;

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

use crate::context::use_lang;
use crate::error::AppError;
use crate::i18n::{Msg, t};

/// Records whether a page was useful, then sends the browser back to that page.
#[server(prefix = "/api", endpoint = "feedback")]
pub async fn submit_feedback(page: String, useful: String) -> Result<(), AppError> {
    use crate::domain::return_path::safe_return_path;
    let lang = crate::request::lang();
    let page = safe_return_path(&page).to_string();
    let useful = match useful.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(AppError::invalid(t(lang, Msg::FeedbackFailed))),
    };
    let pool = use_context::<sqlx::PgPool>()
        .ok_or_else(|| AppError::internal("no database pool in context"))?;
    repo::insert(&pool, &page, useful, lang).await?;
    let separator = if page.contains('?') { '&' } else { '?' };
    leptos_axum::redirect(&format!("{page}{separator}feedback=thanks#feedback"));
    Ok(())
}

#[component]
pub fn FeedbackForm() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<SubmitFeedback>::new();
    let location = use_location();
    let query = use_query_map();
    let page = move || location.pathname.get();
    let thanked = move || {
        query.with(|q| q.get("feedback").as_deref() == Some("thanks"))
            || matches!(action.value().get(), Some(Ok(())))
    };
    let failed = move || matches!(action.value().get(), Some(Err(_)));
    view! {
        <div class="feedback" id="feedback">
            <Show
                when=thanked
                fallback=move || {
                    view! {
                        <ActionForm action>
                            <input type="hidden" name="page" value=page />
                            <span class="feedback__question">{t(lang, Msg::FeedbackQuestion)}</span>
                            " "
                            <button type="submit" name="useful" value="yes" class="button button--secondary">
                                {t(lang, Msg::FeedbackYes)}
                            </button>
                            " "
                            <button type="submit" name="useful" value="no" class="button button--secondary">
                                {t(lang, Msg::FeedbackNo)}
                            </button>
                        </ActionForm>
                        <Show when=failed>
                            <p class="error-message" role="alert">{t(lang, Msg::FeedbackFailed)}</p>
                        </Show>
                    }
                }
            >
                <p class="feedback__thanks" role="status">{t(lang, Msg::FeedbackThanks)}</p>
            </Show>
        </div>
    }
}
