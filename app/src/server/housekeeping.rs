//! Periodic clean-up of rows that no longer do anything: expired sessions, spent one-time
//! links, stale throttle counters. Safe to run from several server processes at once.

use sqlx::PgPool;

use super::settings::Settings;
use super::{sessions, throttle, tokens};

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Cleaned {
    pub sessions: u64,
    pub tokens: u64,
    pub throttle: u64,
}

pub async fn run_once(pool: &PgPool, settings: &Settings) -> Result<Cleaned, sqlx::Error> {
    let longest_window = settings.sign_in_window.max(settings.mail_window);
    Ok(Cleaned {
        sessions: sessions::delete_expired(pool, settings).await?,
        tokens: tokens::delete_spent(pool).await?,
        throttle: throttle::delete_stale(pool, longest_window).await?,
    })
}
