//! A small page of its own, in the portal's style, for routes that answer a person without going
//! through a Leptos page (a refused upload, a message that was not sent).

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use app::i18n::Lang;
use app::server::outbox::escape_html;

/// A page titled `title` with `body_html` (already escaped) under it.
pub fn page(lang: Lang, status: StatusCode, title: &str, body_html: &str) -> Response {
    let title = escape_html(title);
    let page = format!(
        "<!DOCTYPE html><html lang=\"{code}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"{stylesheet}\"></head>\
         <body><div class=\"page-width\"><main id=\"main-content\" class=\"main\">\
         <h1 class=\"heading-xl\">{title}</h1>{body_html}</main></div></body></html>",
        code = lang.code(),
        stylesheet = app::server::assets::hashes().stylesheet(),
    );
    (status, Html(page)).into_response()
}

/// A paragraph of plain text.
pub fn paragraph(text: &str) -> String {
    format!("<p class=\"body\">{}</p>", escape_html(text))
}

/// A link back, in its own paragraph.
pub fn back_link(href: &str, text: &str) -> String {
    format!(
        "<p class=\"body\"><a class=\"link\" href=\"{}\">{}</a></p>",
        escape_html(href),
        escape_html(text)
    )
}
