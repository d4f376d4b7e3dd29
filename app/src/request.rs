//! What the server's middleware learned about the request, read back while rendering or inside a
//! server function. The middleware stores these in the request extensions.

use crate::i18n::Lang;
use http::request::Parts;
use leptos::prelude::use_context;

/// The CSP nonce of this response, shared by the `Content-Security-Policy` header and the
/// hydration `<script>` tags.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// The language chosen for this request (query `?lang=`, then cookie, then the default).
pub fn lang() -> Lang {
    use_context::<Parts>()
        .and_then(|parts| parts.extensions.get::<Lang>().copied())
        .unwrap_or_default()
}

pub fn csp_nonce() -> Option<String> {
    use_context::<Parts>().and_then(|parts| parts.extensions.get::<CspNonce>().map(|n| n.0.clone()))
}
