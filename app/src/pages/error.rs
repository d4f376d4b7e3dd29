//! The pages shown when the service fails (a reference to quote, no internal detail) or the
//! database is briefly out of reach. The server renders them outside the router, so each is a
//! complete document.

use crate::i18n::{Lang, Msg, fmt, t};

/// A complete HTML document for an internal error, in `lang`, quoting `correlation_id`.
pub fn error_page_html(lang: Lang, correlation_id: &str) -> String {
    let id = escape(correlation_id);
    document(
        lang,
        t(lang, Msg::ErrorTitle),
        &format!(
            "<p class=\"body\">{body}</p><p class=\"body\">{reference}</p>",
            body = t(lang, Msg::ErrorBody),
            reference = fmt::error_reference_quote(
                lang,
                format!("<strong class=\"reference\">{id}</strong>")
            ),
        ),
    )
}

/// A complete HTML document saying the service is briefly unavailable (the database is out of
/// reach), in `lang`: no reference to quote, since nothing went wrong with the request.
pub fn unavailable_page_html(lang: Lang) -> String {
    document(
        lang,
        t(lang, Msg::ServiceUnavailableTitle),
        &format!("<p class=\"body\">{}</p>", t(lang, Msg::ServiceUnavailable)),
    )
}

/// The page frame (header, skip link, main) around `body`, titled `title`.
fn document(lang: Lang, title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"{code}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{page_title}</title><link rel=\"stylesheet\" href=\"{stylesheet}\"></head>\
         <body><a href=\"#main-content\" class=\"skip-link\">{skip}</a>\
         <header class=\"header\" role=\"banner\"><div class=\"page-width header__inner\">\
         <a href=\"/\" class=\"header__service\"><span class=\"header__name\">{service}</span></a></div></header>\
         <div class=\"page-width\"><main id=\"main-content\" class=\"main\" tabindex=\"-1\">\
         <h1 class=\"heading-xl\">{title}</h1>{body}</main></div></body></html>",
        code = lang.code(),
        page_title = fmt::page_title(lang, title, t(lang, Msg::ServiceName)),
        service = t(lang, Msg::ServiceName),
        skip = t(lang, Msg::SkipToContent),
        stylesheet = crate::stylesheet_href(),
    )
}

fn escape(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(64)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_the_reference_in_the_language_and_strips_markup() {
        let html = error_page_html(Lang::En, "ABC123<script>");
        assert!(html.contains("lang=\"en\""));
        assert!(html.contains("ABC123script"));
        assert!(!html.contains("<script>"));
        assert!(html.contains(t(Lang::En, Msg::ErrorTitle)));
    }

    #[test]
    fn the_unavailable_page_asks_to_try_again_without_calling_it_an_error() {
        let html = unavailable_page_html(Lang::Es);
        assert!(html.contains("lang=\"es\""));
        assert!(html.contains(t(Lang::Es, Msg::ServiceUnavailable)));
        assert!(!html.contains(t(Lang::Es, Msg::ErrorTitle)));
    }
}
