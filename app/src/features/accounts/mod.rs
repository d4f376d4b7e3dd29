//! Accounts: registration with email verification, sign-in, sign-out, recovery, sessions and
//! the account page's own sections (the page itself, which composes features, is `pages::account`).
//! Server functions validate input once, here at the edge, and ask the policy module before
//! acting; the SQL lives in `repo.rs`.

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

pub mod pages;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What the account page and the header show about the signed-in person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub full_name: String,
    pub email: String,
    pub organisation_name: String,
    pub role: crate::policy::Role,
    pub org_kind: crate::policy::OrgKind,
    pub acting_for_name: Option<String>,
}

/// One of the caller's sessions, for the sessions list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    /// Hex of the stored token hash: names the session without revealing its token.
    pub id: String,
    pub started: String,
    pub last_seen: String,
    pub user_agent: String,
    pub current: bool,
}

#[server(prefix = "/api", endpoint = "register")]
pub async fn register(
    // Radios send nothing when none is chosen: treat that as empty, not as a malformed request.
    #[server(default)] org_kind: String,
    org_name: String,
    tax_id: String,
    full_name: String,
    email: String,
    password: String,
) -> Result<(), AppError> {
    service::register(service::Registration {
        org_kind,
        org_name,
        tax_id,
        full_name,
        email,
        password,
    })
    .await
}

#[server(prefix = "/api", endpoint = "verify-email")]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    service::verify_email(token).await
}

#[server(prefix = "/api", endpoint = "sign-in")]
pub async fn sign_in(email: String, password: String) -> Result<(), AppError> {
    service::sign_in(email, password).await
}

#[server(prefix = "/api", endpoint = "sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    service::sign_out().await
}

/// The signed-in person, or `None` for anonymous visitors.
#[server(prefix = "/api", endpoint = "whoami")]
pub async fn whoami() -> Result<Option<AccountSummary>, AppError> {
    Ok(
        crate::server::caller::current_session().map(|s| AccountSummary {
            full_name: s.full_name,
            email: s.email,
            organisation_name: s.organisation_name,
            role: s.actor.role,
            org_kind: s.actor.org_kind,
            acting_for_name: s.acting_for_name,
        }),
    )
}

#[server(prefix = "/api", endpoint = "forgot-password")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    service::request_password_reset(email).await
}

#[server(prefix = "/api", endpoint = "reset-password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    service::reset_password(token, password).await
}

#[server(prefix = "/api", endpoint = "change-password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    service::change_password(current_password, new_password).await
}

#[server(prefix = "/api", endpoint = "sessions")]
pub async fn my_sessions() -> Result<Vec<SessionView>, AppError> {
    service::my_sessions().await
}

#[server(prefix = "/api", endpoint = "end-session")]
pub async fn end_session(id: String) -> Result<(), AppError> {
    service::end_session(id).await
}
