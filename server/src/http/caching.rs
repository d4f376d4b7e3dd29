//! How long browsers may keep what the portal sends. The site's files named by their content
//! (`/pkg/valora.<hash>.wasm`) are kept for a year and never revalidated (`immutable`): a new
//! build has new names. Public pages are revalidated on every use (`no-cache`) against a weak
//! `ETag`, so an unchanged page costs a 304 without its body. Signed-in pages and server
//! functions are never stored at all (see `session::resolve_caller`).

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use http::{HeaderValue, Method, StatusCode, header};
use sha2::{Digest, Sha256};

/// The site's files named by their content.
const FOREVER: &str = "public, max-age=31536000, immutable";
/// Files whose name stays the same from build to build, and pages: ask every time.
const REVALIDATE: &str = "no-cache";

pub async fn cache_headers(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let page_read = request.method() == Method::GET;
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let mut response = next.run(request).await;
    let status = response.status();
    if path.starts_with("/pkg/") || path == "/favicon.svg" {
        if status == StatusCode::OK || status == StatusCode::NOT_MODIFIED {
            let policy = if app::server::assets::hashes().names_by_content(&path) {
                FOREVER
            } else {
                REVALIDATE
            };
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
        }
        return response;
    }
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !page_read
        || status != StatusCode::OK
        || !html
        || response.headers().contains_key(header::CACHE_CONTROL)
    {
        return response;
    }
    with_etag(response, if_none_match).await
}

/// Tags a page with a digest of its body (the CSP nonce left out: it is new on every answer);
/// answers 304 when the browser holds that version already. The 304 carries no CSP, so the
/// browser keeps the policy (and nonce) that came with the body it keeps.
async fn with_etag(response: Response, if_none_match: Option<HeaderValue>) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let nonce = parts
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .and_then(csp_nonce)
        .unwrap_or_default();
    let tag = etag(&bytes, &nonce);
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
    if let Ok(value) = HeaderValue::from_str(&tag) {
        parts.headers.insert(header::ETAG, value);
    }
    let held = if_none_match
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .is_some_and(|list| matches(list, &tag));
    if held {
        parts.status = StatusCode::NOT_MODIFIED;
        for name in [
            header::CONTENT_SECURITY_POLICY,
            header::CONTENT_LENGTH,
            header::CONTENT_TYPE,
        ] {
            parts.headers.remove(name);
        }
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The nonce a `Content-Security-Policy` names (`'nonce-…'`).
fn csp_nonce(policy: &str) -> Option<String> {
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let end = start + policy[start..].find('\'')?;
    Some(policy[start..end].to_string())
}

/// A weak tag (`W/"…"`): the body's digest with every occurrence of `nonce` left out.
fn etag(body: &[u8], nonce: &str) -> String {
    let mut digest = Sha256::new();
    if nonce.is_empty() {
        digest.update(body);
    } else {
        let text = String::from_utf8_lossy(body);
        for (i, piece) in text.split(nonce).enumerate() {
            if i > 0 {
                digest.update(b"\0");
            }
            digest.update(piece.as_bytes());
        }
    }
    let hash = digest.finalize();
    format!(
        "W/\"{}\"",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&hash[..16])
    )
}

/// Whether an `If-None-Match` list holds `tag` (weak comparison: `W/` ignored on both sides).
fn matches(list: &str, tag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
    list.trim() == "*" || list.split(',').any(|t| bare(t) == bare(tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tag_ignores_the_nonce_but_not_the_content() {
        let a = etag(b"<script nonce=\"abc\">x</script>", "abc");
        let b = etag(b"<script nonce=\"xyz\">x</script>", "xyz");
        let c = etag(b"<script nonce=\"xyz\">y</script>", "xyz");
        assert_eq!(a, b);
        assert_ne!(b, c);
        assert!(a.starts_with("W/\""));
    }

    #[test]
    fn a_listed_tag_matches_weakly_and_a_star_matches_anything() {
        assert!(matches("\"q\", W/\"abc\"", "W/\"abc\""));
        assert!(matches("\"abc\"", "W/\"abc\""));
        assert!(matches("*", "W/\"abc\""));
        assert!(!matches("W/\"abd\"", "W/\"abc\""));
    }

    #[test]
    fn the_nonce_is_read_from_the_policy() {
        assert_eq!(
            csp_nonce("script-src 'self' 'nonce-Zm9v' 'wasm-unsafe-eval'").as_deref(),
            Some("Zm9v")
        );
        assert_eq!(csp_nonce("script-src 'self'"), None);
    }
}
