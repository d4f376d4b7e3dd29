//! Periodic clean-up of rows that no longer do anything: expired sessions, spent one-time
//! links, stale throttle counters, cut-off uploads, forgotten drafts and stored files nothing
//! uses. Safe to run from several server processes at once.

use sqlx::PgPool;

use super::settings::{Settings, UNATTACHED_UPLOAD_DAYS};
use super::{blobs, sessions, throttle, tokens};

/// An upload still incomplete after this was cut off (a client gone, a server killed midway).
pub const INCOMPLETE_UPLOAD_AGE: std::time::Duration = std::time::Duration::from_secs(3600);

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Cleaned {
    pub sessions: u64,
    pub tokens: u64,
    pub throttle: u64,
    /// Blobs of uploads cut off midway.
    pub incomplete_blobs: u64,
    /// Draft documents never submitted within `draft_days`.
    pub drafts: u64,
    /// Complete blobs no document or library entry uses after `UNATTACHED_UPLOAD_DAYS`.
    pub unattached_blobs: u64,
}

pub async fn run_once(pool: &PgPool, settings: &Settings) -> Result<Cleaned, sqlx::Error> {
    let longest_window = settings
        .sign_in_window
        .max(settings.mail_window)
        .max(settings.registration_window);
    Ok(Cleaned {
        sessions: sessions::delete_expired(pool, settings).await?,
        tokens: tokens::delete_spent(pool).await?,
        throttle: throttle::delete_stale(pool, longest_window, super::quota::STALE).await?,
        incomplete_blobs: blobs::purge_incomplete(pool, INCOMPLETE_UPLOAD_AGE).await?,
        // Drafts before unattached files: a purged draft's file goes in the same run.
        drafts: blobs::purge_drafts(pool, settings.documents.draft_days).await?,
        unattached_blobs: blobs::purge_unattached(pool, UNATTACHED_UPLOAD_DAYS).await?,
    })
}
