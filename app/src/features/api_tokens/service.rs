//! The checks API's caller: the organisation behind a bearer token, or why there is none.

use sqlx::PgPool;
use uuid::Uuid;

use crate::error::AppError;

/// Why a request to the checks API has no caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenRefusal {
    /// No token was sent.
    Missing,
    /// The token is unknown, or was revoked.
    NotValid,
    /// The tokens could not be looked up.
    Failed(AppError),
}

/// The organisation `token` (what followed `Bearer `, if anything) acts for; noting its use.
/// A revoked token is refused on its next request.
pub async fn organisation_for(pool: &PgPool, token: Option<&str>) -> Result<Uuid, TokenRefusal> {
    let token = token
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(TokenRefusal::Missing)?;
    let hash = crate::server::tokens::hash(token);
    match super::repo::organisation_of(pool, &hash).await {
        Ok(Some((organisation, stale))) => {
            // The last use is noted at most once a minute, so that a busy integration's calls
            // do not queue on its token's row.
            if stale && let Err(e) = super::repo::note_use(pool, &hash).await {
                tracing::warn!(error = %e, "could not note an API token's use");
            }
            Ok(organisation)
        }
        Ok(None) => Err(TokenRefusal::NotValid),
        Err(e) => Err(TokenRefusal::Failed(AppError::from(e))),
    }
}
