//! API tokens: an administrator of an importer or broker creates named tokens for the
//! organisation's systems (shown once, stored as a SHA-256 hash), each valid for a number of days
//! (90 by default, at most `VALORA_API_TOKEN_MAX_DAYS`), and revokes them; the account page shows
//! each token's last use. `POST /api/v1/checks` accepts `Authorization: Bearer <token>`.

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

pub mod pages;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::i18n::t;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ApiTokenView {
    pub id: Uuid,
    pub name: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub expires_at: String,
    pub expired: bool,
}

/// Days a new token is valid when the form does not say (never more than the setting allows).
pub const DEFAULT_VALID_DAYS: u32 = 90;

/// Prefix of every token, so a leaked one is recognisable in logs and code scanners.
pub const TOKEN_PREFIX: &str = "valora_";

/// After a post without JavaScript the new token reaches the account page in this cookie, which
/// the page reads once and clears. It stays in the browser that made the token (HttpOnly,
/// SameSite=Strict, path /account, two minutes) and is never stored on the server.
#[cfg(feature = "ssr")]
const REVEAL_COOKIE: &str = "valora_new_api_token";

#[cfg(feature = "ssr")]
fn reveal_cookie(value: &str, max_age_secs: i64) -> String {
    let https = crate::server::context::settings().is_ok_and(|s| s.https);
    cookie::Cookie::build((REVEAL_COOKIE, value.to_string()))
        .path("/account")
        .http_only(true)
        .secure(https)
        .same_site(cookie::SameSite::Strict)
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .build()
        .to_string()
}

/// The request's headers, where a server function needs them.
#[cfg(feature = "ssr")]
fn request_headers() -> http::HeaderMap {
    use_context::<http::request::Parts>()
        .map(|parts| parts.headers)
        .unwrap_or_default()
}

#[server(prefix = "/api", endpoint = "api-tokens", input = server_fn::codec::GetUrl)]
pub async fn list_api_tokens() -> Result<Vec<ApiTokenView>, AppError> {
    use crate::server::caller::signed_in;
    use crate::server::context::pool;
    let session = signed_in(crate::policy::Action::ManageOwnAccount)?;
    let org = session.actor.org_id;
    signed_in(crate::policy::Action::ManageApiTokens { org })?;
    Ok(repo::list(&pool()?, org).await?)
}

/// Creates a token valid for `valid_days` (empty: [`DEFAULT_VALID_DAYS`]) and returns it, the
/// only time it is shown.
#[server(prefix = "/api", endpoint = "create-api-token")]
pub async fn create_api_token(
    name: String,
    #[server(default)] valid_days: String,
) -> Result<String, AppError> {
    use crate::i18n::{Msg, fmt};
    use crate::server::audit::{self, AuditEvent};
    use crate::server::caller::signed_in;
    use crate::server::context::{pool, settings};
    let session = signed_in(crate::policy::Action::ManageOwnAccount)?;
    let org = session.actor.org_id;
    signed_in(crate::policy::Action::ManageApiTokens { org })?;
    let lang = crate::request::lang();
    let max_days = settings()?.api_token_max_days;
    let name = name.trim().to_string();
    let mut problems = Vec::new();
    if name.is_empty() || name.chars().count() > 80 {
        problems.push(("name".to_string(), t(lang, Msg::ErrorTokenName).to_string()));
    }
    let valid_days = match valid_days.trim() {
        "" => Some(DEFAULT_VALID_DAYS.min(max_days)),
        days => days
            .parse::<u32>()
            .ok()
            .filter(|d| (1..=max_days).contains(d)),
    };
    if valid_days.is_none() {
        problems.push((
            "valid_days".to_string(),
            fmt::error_token_days(lang, max_days),
        ));
    }
    let (Some(valid_days), true) = (valid_days, problems.is_empty()) else {
        return Err(AppError::fields(problems));
    };
    let token = format!("{TOKEN_PREFIX}{}", crate::server::tokens::new_secret());
    let pool = pool()?;
    let mut tx = pool.begin().await?;
    let token_hash = crate::server::tokens::hash(&token);
    let new = repo::NewToken {
        org,
        user: session.actor.user_id,
        name: &name,
        token_hash: &token_hash,
        valid_days,
    };
    let id = repo::create(&mut *tx, new).await?;
    let facts = crate::server::caller::request_facts();
    audit::record(
        &mut *tx,
        AuditEvent::new("api_token.create", &facts.client_addr)
            .actor(Some(session.actor.user_id))
            .subject(format!("token {id} ({name})"))
            .detail(serde_json::json!({"valid_days": valid_days})),
    )
    .await?;
    tx.commit().await?;
    let from_script = request_headers()
        .get(http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    if !from_script {
        crate::server::context::set_cookie(reveal_cookie(&token, 120));
        leptos_axum::redirect("/account#api-tokens");
    }
    Ok(token)
}

/// The token just created by a post without JavaScript, once (see [`REVEAL_COOKIE`]).
#[server(prefix = "/api", endpoint = "new-api-token", input = server_fn::codec::GetUrl)]
pub async fn take_new_api_token() -> Result<Option<String>, AppError> {
    use crate::server::caller::signed_in;
    use crate::server::context::set_cookie;
    let session = signed_in(crate::policy::Action::ManageOwnAccount)?;
    signed_in(crate::policy::Action::ManageApiTokens {
        org: session.actor.org_id,
    })?;
    let token = request_headers()
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .flatten()
        .find(|c| c.name() == REVEAL_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|t| t.starts_with(TOKEN_PREFIX));
    if token.is_some() {
        set_cookie(reveal_cookie("", 0));
    }
    Ok(token)
}

#[server(prefix = "/api", endpoint = "revoke-api-token")]
pub async fn revoke_api_token(id: String) -> Result<(), AppError> {
    use crate::server::caller::signed_in;
    use crate::server::context::pool;
    let session = signed_in(crate::policy::Action::ManageOwnAccount)?;
    let org = session.actor.org_id;
    signed_in(crate::policy::Action::ManageApiTokens { org })?;
    let id = Uuid::parse_str(&id).map_err(|_| AppError::not_found())?;
    let pool = pool()?;
    let mut tx = pool.begin().await?;
    if !repo::revoke(&mut *tx, org, id).await? {
        return Err(AppError::not_found());
    }
    let facts = crate::server::caller::request_facts();
    crate::server::audit::record(
        &mut *tx,
        crate::server::audit::AuditEvent::new("api_token.revoke", &facts.client_addr)
            .actor(Some(session.actor.user_id))
            .subject(format!("token {id}")),
    )
    .await?;
    tx.commit().await?;
    crate::server::context::reference_changed();
    Ok(())
}
