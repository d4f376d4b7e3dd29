//! What a page shows when its data could not be loaded: the sign-in page for a visitor who is not
//! signed in, otherwise the error in the reader's language.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::error::AppError;
use crate::i18n::Lang;

/// The view for a page whose resource answered `error`.
pub fn load_error(lang: Lang, error: AppError) -> AnyView {
    match error {
        AppError::Unauthenticated => view! { <Redirect path="/sign-in" /> }.into_any(),
        e => {
            view! { <p class="error-message" id="load-error">{e.user_message(lang)}</p> }.into_any()
        }
    }
}
