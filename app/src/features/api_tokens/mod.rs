//! API tokens: a member of an importer or broker creates named tokens for the organisation's
//! systems (shown once, stored as a SHA-256 hash) and revokes them; `POST /api/v1/checks`
//! accepts `Authorization: Bearer <token>`.

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

pub mod pages;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ApiTokenView {
    pub id: Uuid,
    pub name: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
}

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

/// Creates a token and returns it, the only time it is shown.
#[server(prefix = "/api", endpoint = "create-api-token")]
pub async fn create_api_token(name: String) -> Result<String, AppError> {
    use crate::server::caller::signed_in;
    use crate::server::context::pool;
    use crate::server::validation::field_errors;
    let session = signed_in(crate::policy::Action::ManageOwnAccount)?;
    let org = session.actor.org_id;
    signed_in(crate::policy::Action::ManageApiTokens { org })?;
    let name = name.trim().to_string();
    if name.is_empty() || name.chars().count() > 80 {
        let lang = crate::request::lang();
        return Err(field_errors(
            lang,
            vec![("name", crate::i18n::Msg::ErrorTokenName)],
        ));
    }
    let token = format!("{TOKEN_PREFIX}{}", crate::server::tokens::new_secret());
    let pool = pool()?;
    let id = repo::create(
        &pool,
        org,
        session.actor.user_id,
        &name,
        &crate::server::tokens::hash(&token),
    )
    .await?;
    let facts = crate::server::caller::request_facts();
    crate::server::audit::record(
        &pool,
        crate::server::audit::AuditEvent::new("api_token.create", &facts.client_addr)
            .actor(Some(session.actor.user_id))
            .subject(format!("token {id} ({name})")),
    )
    .await?;
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
    if !repo::revoke(&pool, org, id).await? {
        return Err(AppError::not_found());
    }
    let facts = crate::server::caller::request_facts();
    crate::server::audit::record(
        &pool,
        crate::server::audit::AuditEvent::new("api_token.revoke", &facts.client_addr)
            .actor(Some(session.actor.user_id))
            .subject(format!("token {id}")),
    )
    .await?;
    Ok(())
}
