//! API tokens: a member of an importer or broker creates named tokens for the organisation's
//! systems (shown once, stored as a SHA-256 hash) and revokes them; `POST /api/v1/checks`
//! accepts `Authorization: Bearer <token>`.

#[cfg(feature = "ssr")]
pub mod repo;

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

#[server(prefix = "/api", endpoint = "api-tokens", input = server_fn::codec::GetUrl)]
pub async fn list_api_tokens() -> Result<Vec<ApiTokenView>, AppError> {
    use crate::features::accounts::service::{pool, signed_in};
    let session = signed_in(crate::policy::Action::ManageOwnAccount)?;
    let org = session.actor.org_id;
    signed_in(crate::policy::Action::ManageApiTokens { org })?;
    Ok(repo::list(&pool()?, org).await?)
}

/// Creates a token and returns it, the only time it is shown.
#[server(prefix = "/api", endpoint = "create-api-token")]
pub async fn create_api_token(name: String) -> Result<String, AppError> {
    use crate::features::accounts::service::{field_errors, pool, signed_in};
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
    Ok(token)
}

#[server(prefix = "/api", endpoint = "revoke-api-token")]
pub async fn revoke_api_token(id: String) -> Result<(), AppError> {
    use crate::features::accounts::service::{pool, signed_in};
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
