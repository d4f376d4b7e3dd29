use leptos::prelude::*;
use leptos_meta::Title;

use crate::context::use_lang;
use crate::i18n::{Msg, t};

/// Rendered for any path no route matches; the response status is 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let lang = use_lang();
    view! {
        <Title text=t(lang, Msg::NotFoundTitle) />
        <h1 class="heading-xl">{t(lang, Msg::NotFoundTitle)}</h1>
        <p class="body">{t(lang, Msg::NotFoundBody)}</p>
        <p class="body">
            <a href="/">{t(lang, Msg::NotFoundHome)}</a>
        </p>
    }
}
