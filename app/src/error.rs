//! The one error type. What reaches a browser is either a validation problem the user can fix or
//! a generic failure carrying a correlation id; the internal detail is logged on the server under
//! the same id and never sent.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Msg, fmt, t};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppError {
    /// Something failed inside the service; `correlation_id` finds the logged detail.
    Internal { correlation_id: String },
    /// The request was refused by policy (another origin, no permission).
    Forbidden,
    /// The action needs a signed-in person.
    Unauthenticated,
    /// The input could not be accepted; the message is already in the user's language.
    Invalid(String),
    /// Problems with named form fields: (field id, message in the user's language).
    Fields(Vec<(String, String)>),
    /// Nothing exists at the address asked for.
    NotFound,
    /// The database cannot be reached for a moment: try again shortly (503 with `Retry-After`).
    Unavailable,
}

impl AppError {
    /// Logs `detail` under a fresh correlation id and returns the generic error that carries it.
    #[cfg(feature = "ssr")]
    pub fn internal(detail: impl std::fmt::Display) -> AppError {
        let correlation_id = new_correlation_id();
        tracing::error!(%correlation_id, error = %detail, "internal error");
        set_error_status(http::StatusCode::INTERNAL_SERVER_ERROR);
        AppError::Internal { correlation_id }
    }

    /// The database is out of reach; on the server the response becomes 503 with `Retry-After`.
    #[cfg(feature = "ssr")]
    pub fn unavailable(detail: impl std::fmt::Display) -> AppError {
        tracing::warn!(error = %detail, "database unavailable");
        set_error_status(http::StatusCode::SERVICE_UNAVAILABLE);
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.insert_header(
                http::header::RETRY_AFTER,
                http::HeaderValue::from_static(RETRY_AFTER_SECS),
            );
        }
        AppError::Unavailable
    }

    /// A problem with the input, already worded for the user; on the server the response
    /// status becomes 400.
    pub fn invalid(message: impl Into<String>) -> AppError {
        #[cfg(feature = "ssr")]
        set_error_status(http::StatusCode::BAD_REQUEST);
        AppError::Invalid(message.into())
    }

    /// Too many attempts: `message` (worded for the user) with 429 and `Retry-After` on the
    /// server (a plain form post goes back to its form with the message instead).
    pub fn too_many(message: impl Into<String>, retry_after_secs: u64) -> AppError {
        #[cfg(feature = "ssr")]
        {
            set_error_status(http::StatusCode::TOO_MANY_REQUESTS);
            if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
                && let Ok(value) = http::HeaderValue::from_str(&retry_after_secs.max(1).to_string())
            {
                response.insert_header(http::header::RETRY_AFTER, value);
            }
        }
        #[cfg(not(feature = "ssr"))]
        let _ = retry_after_secs;
        AppError::Invalid(message.into())
    }

    /// Nothing there; on the server the response status becomes 404.
    pub fn not_found() -> AppError {
        #[cfg(feature = "ssr")]
        set_error_status(http::StatusCode::NOT_FOUND);
        AppError::NotFound
    }

    /// Field problems; on the server the response status becomes 400.
    pub fn fields(problems: Vec<(String, String)>) -> AppError {
        #[cfg(feature = "ssr")]
        set_error_status(http::StatusCode::BAD_REQUEST);
        AppError::Fields(problems)
    }

    /// The message of one field, if it has a problem.
    pub fn field(&self, id: &str) -> Option<String> {
        match self {
            AppError::Fields(problems) => problems
                .iter()
                .find(|(f, _)| f == id)
                .map(|(_, m)| m.clone()),
            _ => None,
        }
    }

    /// The message to show in `lang`.
    pub fn user_message(&self, lang: Lang) -> String {
        match self {
            AppError::Internal { correlation_id } => fmt::server_failure_ref(lang, correlation_id),
            AppError::Forbidden => t(lang, Msg::ErrorNotAllowed).to_string(),
            AppError::Unauthenticated => t(lang, Msg::ErrorSignInNeeded).to_string(),
            AppError::NotFound => t(lang, Msg::NotFoundTitle).to_string(),
            AppError::Unavailable => t(lang, Msg::ServiceUnavailable).to_string(),
            AppError::Invalid(message) => message.clone(),
            AppError::Fields(problems) => problems
                .iter()
                .map(|(_, message)| message.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.user_message(Lang::En))
    }
}

impl std::error::Error for AppError {}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Malformed arguments are the caller's fault and say nothing internal.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                AppError::Invalid(t(caller_lang(), Msg::ErrorMalformedRequest).to_string())
            }
            #[cfg(feature = "ssr")]
            other => AppError::internal(other),
            #[cfg(not(feature = "ssr"))]
            _ => AppError::Internal {
                correlation_id: String::new(),
            },
        }
    }
}

/// The language of the request being answered: on the server the one the language middleware
/// chose (a server function's arguments are read inside its request), in the browser the page's.
fn caller_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        crate::request::lang()
    }
    #[cfg(not(feature = "ssr"))]
    {
        crate::context::use_lang()
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        if database_unreachable(&error) {
            AppError::unavailable(error)
        } else if text_not_storable(&error) {
            // Text with a NUL byte (or another character the database cannot store) is the
            // sender's to correct, not a fault of the service.
            AppError::invalid(t(crate::request::lang(), Msg::ErrorTextCharacters))
        } else {
            AppError::internal(error)
        }
    }
}

/// Whether the database refused text it cannot store: SQLSTATE 22021 (a NUL byte, not in the
/// character set) or 22P05 (untranslatable).
#[cfg(feature = "ssr")]
fn text_not_storable(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e)
        if e.code().is_some_and(|code| matches!(&*code, "22021" | "22P05")))
}

/// Seconds a client is asked to wait (`Retry-After`) while the database is out of reach.
pub const RETRY_AFTER_SECS: &str = "5";

/// Whether `error` means the database could not be reached (no connection, the pool gave up
/// waiting for one, the server shutting down or refusing connections) rather than a fault of
/// the request or the code: SQLSTATE class 08 (connection exception), 57P01-57P03 (shutdown,
/// crash, starting up) and 53300 (too many connections).
#[cfg(feature = "ssr")]
pub fn database_unreachable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(e) => e.code().is_some_and(|code| {
            code.starts_with("08") || matches!(&*code, "57P01" | "57P02" | "57P03" | "53300")
        }),
        _ => false,
    }
}

/// Sets the status of an error answer. Not for a plain form post (no JavaScript): Leptos answers
/// those with a redirect back to the form carrying the error, and a status would break it.
#[cfg(feature = "ssr")]
pub fn set_error_status(status: http::StatusCode) {
    use leptos::prelude::use_context;
    let plain_form_post = use_context::<http::request::Parts>().is_some_and(|parts| {
        parts.method == http::Method::POST
            && parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|accept| accept.contains("text/html"))
    });
    if !plain_form_post && let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
}

/// A short random id, easy to read out on the phone: 12 characters of Crockford base-32.
#[cfg(feature = "ssr")]
pub fn new_correlation_id() -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let random = uuid::Uuid::new_v4().as_u128();
    (0..12)
        .map(|i| ALPHABET[((random >> (i * 5)) & 31) as usize] as char)
        .collect()
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_show_only_the_reference() {
        let error = AppError::internal("relation \"secret_table\" does not exist");
        let shown = error.user_message(Lang::Es);
        assert!(!shown.contains("secret_table"));
        let AppError::Internal { correlation_id } = &error else {
            panic!("not internal")
        };
        assert_eq!(correlation_id.len(), 12);
        assert!(shown.ends_with(correlation_id.as_str()));
    }

    #[test]
    fn correlation_ids_differ() {
        assert_ne!(new_correlation_id(), new_correlation_id());
    }
}
