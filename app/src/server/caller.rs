//! The caller of the current request, as the server's session middleware found it, plus the
//! request facts server functions need (client address, user agent, session cookie).

use http::request::Parts;
use leptos::prelude::use_context;

use super::sessions::{self, Session};
use crate::error::AppError;
use crate::policy::{Action, Decision, decide};

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

/// The signed-in caller's session, or the error that sends them to sign in.
pub fn signed_in(action: Action) -> Result<sessions::Session, AppError> {
    let session = request_facts().session;
    match (decide(session.as_ref().map(|s| &s.actor), action), session) {
        (Decision::Allow, Some(session)) => Ok(session),
        (_, None) => Err(refuse(
            http::StatusCode::UNAUTHORIZED,
            AppError::Unauthenticated,
        )),
        (_, Some(_)) => Err(refuse(http::StatusCode::FORBIDDEN, AppError::Forbidden)),
    }
}

/// Who works on a feature's records, however the request reached us (a session or an API token):
/// the actor, the client address for the audit log, the language of the answers.
#[derive(Clone, Debug)]
pub struct Caller {
    pub actor: crate::policy::Actor,
    pub client_addr: String,
    pub lang: crate::i18n::Lang,
}

/// The signed-in caller of a server function (any signed-in person: each workflow asks the policy
/// for its own action).
pub fn caller() -> Result<Caller, AppError> {
    let session = signed_in(Action::ManageOwnAccount)?;
    Ok(Caller {
        actor: session.actor,
        client_addr: request_facts().client_addr,
        lang: crate::request::lang(),
    })
}

/// The error for a signed-in caller who may not do this (403).
pub fn forbidden() -> AppError {
    refuse(http::StatusCode::FORBIDDEN, AppError::Forbidden)
}

/// Sets the response status that goes with `error`.
pub(crate) fn refuse(status: http::StatusCode, error: AppError) -> AppError {
    crate::error::set_error_status(status);
    error
}
