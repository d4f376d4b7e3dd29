//! Accounts: registration with email verification, sign-in, sign-out and the account page.
//! Server functions validate input once, here at the edge, and ask the policy module before
//! acting; the SQL lives in `repo.rs`.

#[cfg(feature = "ssr")]
mod repo;
#[cfg(feature = "ssr")]
mod service;

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
}

#[server(prefix = "/api", endpoint = "register")]
pub async fn register(
    org_kind: String,
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
        }),
    )
}
