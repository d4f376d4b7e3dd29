//! Cross-cutting request handling written as small axum middleware functions.

use std::panic::AssertUnwindSafe;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use base64::Engine;
use cookie::{Cookie, SameSite};
use futures_util::FutureExt;
use http::{HeaderValue, StatusCode, header};
use rand::RngCore;

use app::error::new_correlation_id;
use app::i18n::{Lang, Msg, t};
use app::pages::error::error_page_html;
use app::request::CspNonce;

use super::state::AppState;

/// Sets the security headers on every response. The CSP allows scripts only from this origin and
/// those carrying this response's nonce (Leptos's hydration loader is an inline module script).
/// Served over https, browsers are told to use nothing else for a year (HSTS).
pub async fn security_headers(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let nonce = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let csp = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    );
    let headers = response.headers_mut();
    let set = |headers: &mut http::HeaderMap, name: header::HeaderName, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    set(headers, header::CONTENT_SECURITY_POLICY, &csp);
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::REFERRER_POLICY, "same-origin");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(
        headers,
        header::HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        headers,
        header::HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=()",
    );
    if state.https {
        set(
            headers,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    response
}

/// Drops an `X-Request-Id` the client sent: the request id names log lines and is made here
/// (by the layer after this one), never chosen by the caller.
pub async fn drop_client_request_id(mut request: Request, next: Next) -> Response {
    request.headers_mut().remove(REQUEST_ID);
    next.run(request).await
}

/// The header that carries the request id, in requests (inside) and responses.
pub const REQUEST_ID: &str = "x-request-id";

/// Picks the page language: `?lang=` on any URL switches and is remembered in a cookie; then
/// the cookie; then the default (Spanish).
pub async fn language(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let from_query = request.uri().query().and_then(|query| {
        url::form_urlencoded::parse(query.as_bytes())
            .find(|(key, _)| key == Lang::COOKIE)
            .and_then(|(_, value)| Lang::parse(&value))
    });
    let from_cookie = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .flatten()
        .find(|cookie| cookie.name() == Lang::COOKIE)
        .and_then(|cookie| Lang::parse(cookie.value()));
    let lang = from_query.or(from_cookie).unwrap_or_default();
    request.extensions_mut().insert(lang);
    let mut response = next.run(request).await;
    if let Some(chosen) = from_query.filter(|chosen| Some(*chosen) != from_cookie) {
        let cookie = Cookie::build((Lang::COOKIE, chosen.code()))
            .path("/")
            .max_age(cookie::time::Duration::days(365))
            .same_site(SameSite::Lax)
            .http_only(true)
            .secure(state.https)
            .build();
        if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// Serves at most `VALORA_MAX_IN_FLIGHT` requests at once; the next is answered at once with
/// 503, `Retry-After` and a page in the reader's language (JSON under `/api/v1/`), so a load past
/// capacity is refused quickly rather than queued into time-outs. (tower's `ConcurrencyLimitLayer`
/// would do, but `Router::layer` builds it anew for each request to a handler route, so its
/// semaphore would never be shared; here the one semaphore lives in the state.)
pub async fn shed_load(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Ok(_permit) = state.in_flight.clone().try_acquire_owned() else {
        let lang = request
            .extensions()
            .get::<Lang>()
            .copied()
            .unwrap_or_default();
        return overloaded(lang, request.uri().path());
    };
    next.run(request).await
}

fn overloaded(lang: Lang, path: &str) -> Response {
    tracing::warn!(path, "request shed: the server is at capacity");
    let mut response = if path.starts_with("/api/v1/") {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({
                "error": "unavailable",
                "message": t(lang, Msg::ServiceUnavailable),
            })),
        )
            .into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Html(app::pages::error::unavailable_page_html(lang)),
        )
            .into_response()
    };
    response.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from_static(app::error::RETRY_AFTER_SECS),
    );
    response
}

/// Turns a panic in any handler into the error page: a reference to quote, the detail only in
/// the log under the same reference.
pub async fn error_page_on_panic(request: Request, next: Next) -> Response {
    let lang = request
        .extensions()
        .get::<Lang>()
        .copied()
        .unwrap_or_default();
    match AssertUnwindSafe(next.run(request)).catch_unwind().await {
        Ok(response) => response,
        Err(panic) => {
            let detail = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".into());
            let correlation_id = new_correlation_id();
            tracing::error!(%correlation_id, error = %detail, "handler panicked");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html(error_page_html(lang, &correlation_id)),
            )
                .into_response()
        }
    }
}

/// Refuses state-changing requests (anything but GET, HEAD, OPTIONS, TRACE) sent from another
/// origin: the browser's `Sec-Fetch-Site` when present, else `Origin` against the public URL.
/// Requests with neither header come from non-browser clients, which carry no ambient cookies.
pub async fn same_origin_only(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if !request.method().is_safe() && !is_same_origin(request.headers(), &state.public_origin) {
        let lang = request
            .extensions()
            .get::<Lang>()
            .copied()
            .unwrap_or_default();
        tracing::warn!(
            origin = ?request.headers().get(header::ORIGIN),
            sec_fetch_site = ?request.headers().get("sec-fetch-site"),
            "cross-origin request refused"
        );
        return (StatusCode::FORBIDDEN, t(lang, Msg::RequestRefused)).into_response();
    }
    next.run(request).await
}

fn is_same_origin(headers: &http::HeaderMap, public_origin: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return site.as_bytes() == b"same-origin";
    }
    match headers.get(header::ORIGIN) {
        Some(origin) => origin.as_bytes() == public_origin.as_bytes(),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::is_same_origin;
    use http::{HeaderMap, HeaderValue};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| {
                (
                    http::HeaderName::from_static(k),
                    HeaderValue::from_static(v),
                )
            })
            .collect()
    }

    #[test]
    fn sec_fetch_site_decides_when_present() {
        let me = "http://127.0.0.1:3000";
        assert!(is_same_origin(
            &headers(&[("sec-fetch-site", "same-origin")]),
            me
        ));
        assert!(!is_same_origin(
            &headers(&[
                ("sec-fetch-site", "cross-site"),
                ("origin", "http://127.0.0.1:3000")
            ]),
            me
        ));
        assert!(!is_same_origin(
            &headers(&[("sec-fetch-site", "same-site")]),
            me
        ));
    }

    #[test]
    fn origin_must_match_the_public_url_otherwise() {
        let me = "http://127.0.0.1:3000";
        assert!(is_same_origin(
            &headers(&[("origin", "http://127.0.0.1:3000")]),
            me
        ));
        assert!(!is_same_origin(
            &headers(&[("origin", "https://evil.example")]),
            me
        ));
        assert!(!is_same_origin(&headers(&[("origin", "null")]), me));
        assert!(
            is_same_origin(&headers(&[]), me),
            "non-browser clients send neither header"
        );
    }
}
