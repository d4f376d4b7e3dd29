//! Which version of the reference data is current. Checks keep what they read in memory (see
//! `features::check::service::CheckCache`): published runs and their bands, exchange rates,
//! countries, currencies and units; so does the API's token check (the revocation and expiry of
//! API tokens, `features::api_tokens::service::TokenCache`). The version moves whenever any of these changes: in this process right
//! after its own change commits ([`ReferenceVersion::bump`]), and for a change made elsewhere
//! (another server process, the command line, by hand) as soon as PostgreSQL announces it on
//! [`CHANNEL`] (a trigger on each table notifies at commit; [`listen`] hears it). Memory read
//! under an older version is read again.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::PgListener;

/// The channel the tables' triggers notify (`migrations/*_reference_notify.sql`).
pub const CHANNEL: &str = "valora_reference";

/// A shared counter; clones share it.
#[derive(Clone, Debug, Default)]
pub struct ReferenceVersion(Arc<AtomicU64>);

impl ReferenceVersion {
    pub fn current(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }

    /// Something a check reads has changed.
    pub fn bump(&self) {
        self.0.fetch_add(1, Ordering::AcqRel);
    }
}

/// Listens on [`CHANNEL`] until `stop` says so, bumping `version` on every notification. It
/// also bumps on connecting and after a lost connection, since a change may have gone unheard
/// meanwhile; while the database is out of reach it tries again every second.
pub async fn listen(
    pool: PgPool,
    version: ReferenceVersion,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            Err(e) = hear(&pool, &version) => {
                tracing::debug!(error = %e, "reference listener: trying again");
                version.bump();
            }
            _ = stop.changed() => return,
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Listens until the connection fails for good.
async fn hear(
    pool: &PgPool,
    version: &ReferenceVersion,
) -> Result<std::convert::Infallible, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    version.bump();
    loop {
        // `None`: the connection was lost (the next call reconnects and listens again).
        listener.try_recv().await?;
        version.bump();
    }
}
