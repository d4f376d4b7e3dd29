//! The page shown when the service fails: a reference to quote, no internal detail. The server
//! renders it outside the router (for panics and failed requests), so it is a complete document.

use crate::i18n::{Lang, Msg, fmt, t};

/// A complete HTML document for an internal error, in `lang`, quoting `correlation_id`.
pub fn error_page_html(lang: Lang, correlation_id: &str) -> String {
    let id = escape(correlation_id);
    format!(
        "<!DOCTYPE html><html lang=\"{code}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{page_title}</title><link rel=\"stylesheet\" href=\"/pkg/valora.css\"></head>\
         <body><a href=\"#main-content\" class=\"skip-link\">{skip}</a>\
         <header class=\"header\" role=\"banner\"><div class=\"page-width header__inner\">\
         <a href=\"/\" class=\"header__service\"><span class=\"header__name\">{service}</span></a></div></header>\
         <div class=\"page-width\"><main id=\"main-content\" class=\"main\" tabindex=\"-1\">\
         <h1 class=\"heading-xl\">{title}</h1><p class=\"body\">{body}</p>\
         <p class=\"body\">{reference}</p></main></div></body></html>",
        code = lang.code(),
        title = t(lang, Msg::ErrorTitle),
        page_title = fmt::page_title(lang, t(lang, Msg::ErrorTitle), t(lang, Msg::ServiceName)),
        service = t(lang, Msg::ServiceName),
        skip = t(lang, Msg::SkipToContent),
        body = t(lang, Msg::ErrorBody),
        reference =
            fmt::error_reference_quote(lang, format!("<strong class=\"reference\">{id}</strong>")),
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
}
