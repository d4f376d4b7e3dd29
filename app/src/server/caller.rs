//! The caller of the current request, as the server's session middleware found it, plus the
//! request facts server functions need (client address, user agent, session cookie).

use http::request::Parts;
use leptos::prelude::use_context;

use super::sessions::Session;

/// Stored in the request extensions by the server's session middleware.
#[derive(Clone, Debug, Default)]
pub struct RequestFacts {
    pub session: Option<Session>,
    /// The raw session token from the cookie, if any (to end it at sign-in and sign-out).
    pub session_token: Option<String>,
    pub client_addr: String,
    pub user_agent: String,
}

pub fn request_facts() -> RequestFacts {
    use_context::<Parts>()
        .and_then(|parts| parts.extensions.get::<RequestFacts>().cloned())
        .unwrap_or_default()
}

pub fn current_session() -> Option<Session> {
    request_facts().session
}
