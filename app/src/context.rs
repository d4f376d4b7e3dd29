//! Values every component may read: the page language.

use crate::i18n::Lang;
use leptos::prelude::*;

/// The language of the current page (provided by the shell on the server and by `hydrate` in the
/// browser, from `<html lang>`, so both render the same text; an island read without the context
/// asks the document).
pub fn use_lang() -> Lang {
    #[cfg(feature = "hydrate")]
    return use_context::<Lang>().unwrap_or_else(document_lang);
    #[cfg(not(feature = "hydrate"))]
    use_context::<Lang>().unwrap_or_default()
}

#[cfg(feature = "hydrate")]
pub fn document_lang() -> Lang {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"))
        .and_then(|code| Lang::parse(&code))
        .unwrap_or_default()
}
