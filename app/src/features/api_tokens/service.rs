//! The checks API's caller: the organisation behind a bearer token, or why there is none.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use crate::error::AppError;
use crate::server::reference_version::ReferenceVersion;

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

/// The most tokens a [`TokenCache`] keeps before it starts afresh.
pub const MAX_TOKENS: usize = 10_000;

/// How often this process notes a token's use (so that a busy integration's calls do not queue
/// on its token's row).
const NOTE_EVERY: Duration = Duration::from_secs(60);

/// The live tokens this process has seen, so that an API request costs no database round trip:
/// each one's organisation and expiry, and when this process last noted its use. A token revoked
/// (or its expiry changed) anywhere is forgotten at once: a trigger announces such changes on the
/// reference channel, which moves the version this cache follows (see
/// `server::reference_version`), and this process's own revocations move it directly. Unknown
/// tokens are not kept (each costs its lookup); past [`MAX_TOKENS`] the cache starts afresh.
/// Clones share it.
#[derive(Clone, Default)]
pub struct TokenCache {
    version: ReferenceVersion,
    // Held only to look up or insert, never across an await.
    tokens: Arc<Mutex<KeptTokens>>,
}

/// The version the tokens were read under, and the tokens by their hash.
type KeptTokens = (u64, HashMap<Vec<u8>, LiveToken>);

#[derive(Clone, Copy)]
struct LiveToken {
    organisation: Uuid,
    expires_at: DateTime<Utc>,
    noted: Instant,
}

impl TokenCache {
    pub fn new(version: ReferenceVersion) -> TokenCache {
        TokenCache {
            version,
            tokens: Arc::default(),
        }
    }

    /// The token's entry, if kept under the current version; with whether its use is due to be
    /// noted (then it counts as noted from now on).
    fn get(&self, hash: &[u8]) -> Option<(LiveToken, bool)> {
        let seen = self.version.current();
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        if tokens.0 != seen {
            return None;
        }
        let live = tokens.1.get_mut(hash)?;
        let due = live.noted.elapsed() >= NOTE_EVERY;
        if due {
            live.noted = Instant::now();
        }
        Some((*live, due))
    }

    /// Keeps a token read from the database under version `seen`, unless the version has moved
    /// since (then the next request reads it again).
    fn keep(&self, seen: u64, hash: Vec<u8>, live: LiveToken) {
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        if self.version.current() != seen || tokens.0 > seen {
            return;
        }
        if tokens.0 < seen || tokens.1.len() >= MAX_TOKENS {
            *tokens = (seen, HashMap::new());
        }
        tokens.1.insert(hash, live);
    }
}

/// Notes that the token was used now; a failure is only logged (the request goes on).
async fn note_use(pool: &PgPool, hash: &[u8]) {
    if let Err(e) = super::repo::note_use(pool, hash).await {
        tracing::warn!(error = %e, "could not note an API token's use");
    }
}

/// The organisation `token` (what followed `Bearer `, if anything) acts for; noting its use at
/// most once a minute. A revoked or expired token is refused on its next request.
pub async fn organisation_for(
    pool: &PgPool,
    cache: &TokenCache,
    token: Option<&str>,
) -> Result<Uuid, TokenRefusal> {
    let token = token
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(TokenRefusal::Missing)?;
    let hash = crate::server::tokens::hash(token);
    if let Some((live, due)) = cache.get(&hash) {
        if live.expires_at <= Utc::now() {
            return Err(TokenRefusal::NotValid);
        }
        if due {
            note_use(pool, &hash).await;
        }
        return Ok(live.organisation);
    }
    let seen = cache.version.current();
    match super::repo::organisation_of(pool, &hash).await {
        Ok(Some((organisation, expires_at, stale))) => {
            if stale {
                note_use(pool, &hash).await;
            }
            let noted = Instant::now();
            cache.keep(
                seen,
                hash,
                LiveToken {
                    organisation,
                    expires_at,
                    noted,
                },
            );
            Ok(organisation)
        }
        Ok(None) => Err(TokenRefusal::NotValid),
        Err(e) => Err(TokenRefusal::Failed(AppError::from(e))),
    }
}
