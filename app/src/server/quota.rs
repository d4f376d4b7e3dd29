//! Daily quotas per organisation (batch files, API lines), counted in the shared throttle table
//! so that every server process sees the same count (API lines through a meter in memory that
//! writes it in batches). A day is a fixed window from the first use.

use std::time::Duration;

use sqlx::PgPool;
use uuid::Uuid;

use super::throttle;

/// The window of a daily quota.
pub const DAY: Duration = Duration::from_secs(24 * 3600);

/// The quota counters' key prefix and window, for housekeeping.
pub const STALE: (&str, Duration) = ("quota:", DAY);

/// What may be used per organisation and day (settings).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quotas {
    /// Batch files checked (`VALORA_BATCHES_PER_DAY`, 200).
    pub batches_per_day: u32,
    /// Lines sent to the checks API (`VALORA_API_LINES_PER_DAY`, 200,000).
    pub api_lines_per_day: u32,
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas {
            batches_per_day: 200,
            api_lines_per_day: 200_000,
        }
    }
}

/// What a quota counts in the shared counter at once (the API's lines go through
/// [`ApiLineMeter`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counted {
    Batches,
}

/// The quota is used up: the limit, and the seconds until the day's window ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exceeded {
    pub limit: u32,
    pub retry_after_secs: u64,
}

/// Takes `amount` of `org`'s daily quota of `what`, or leaves it untouched and says when more
/// is available.
pub async fn take(
    pool: &PgPool,
    quotas: &Quotas,
    org: Uuid,
    what: Counted,
    amount: u32,
) -> Result<Result<(), Exceeded>, sqlx::Error> {
    let (name, limit) = match what {
        Counted::Batches => ("batches", quotas.batches_per_day),
    };
    let key = format!("{}{name}:{org}", STALE.0);
    let used = throttle::add(pool, &key, DAY, amount).await?;
    if used <= limit {
        return Ok(Ok(()));
    }
    throttle::take_back(pool, &key, amount).await?;
    Ok(Err(Exceeded {
        limit,
        retry_after_secs: throttle::seconds_left(pool, &key, DAY).await?.max(1),
    }))
}

/// How often a process writes the API lines it counted to the shared counter (and reads what
/// the other processes wrote).
pub const METER_SYNC: Duration = Duration::from_secs(1);

/// The daily quota of checks API lines, counted in memory and written to the shared counter at
/// most once per [`METER_SYNC`] and organisation, so that a busy integration's requests do not
/// queue on one counter row: the hot path touches no database. Across several processes an
/// organisation may pass its limit by what they counted within one sync; a process that stops
/// loses at most that much of the count. Clones share the meter.
#[derive(Clone, Debug, Default)]
pub struct ApiLineMeter(std::sync::Arc<std::sync::Mutex<std::collections::HashMap<Uuid, Meter>>>);

#[derive(Debug)]
struct Meter {
    /// The shared count as last written or read.
    shared: u32,
    /// Counted here since, not yet written.
    pending: u32,
    /// Being written now (`None`: no write under way).
    writing: Option<u32>,
    synced: Option<std::time::Instant>,
}

impl ApiLineMeter {
    /// Takes `amount` lines of `org`'s day, or leaves the quota untouched and says when more is
    /// available.
    pub async fn take(
        &self,
        pool: &PgPool,
        quotas: &Quotas,
        org: Uuid,
        amount: u32,
    ) -> Result<Result<(), Exceeded>, sqlx::Error> {
        let key = format!("{}api-lines:{org}", STALE.0);
        if let Some(write) = self.due(org) {
            let written = throttle::add(pool, &key, DAY, write).await;
            let mut meters = self.0.lock().unwrap_or_else(|e| e.into_inner());
            let meter = meters.get_mut(&org).expect("a meter being written stays");
            meter.writing = None;
            match written {
                Ok(shared) => {
                    meter.shared = shared;
                    meter.synced = Some(std::time::Instant::now());
                }
                Err(e) => {
                    meter.pending += write;
                    return Err(e);
                }
            }
        }
        let within = {
            let mut meters = self.0.lock().unwrap_or_else(|e| e.into_inner());
            let meter = meters.get_mut(&org).expect("a meter is made before this");
            let used = meter
                .shared
                .saturating_add(meter.pending)
                .saturating_add(meter.writing.unwrap_or(0));
            let within = used.saturating_add(amount) <= quotas.api_lines_per_day;
            if within {
                meter.pending += amount;
            }
            within
        };
        if within {
            return Ok(Ok(()));
        }
        Ok(Err(Exceeded {
            limit: quotas.api_lines_per_day,
            retry_after_secs: throttle::seconds_left(pool, &key, DAY).await?.max(1),
        }))
    }

    /// When `org`'s meter is due to be written (and no write is under way): what to write,
    /// moved out of `pending`.
    fn due(&self, org: Uuid) -> Option<u32> {
        let mut meters = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let meter = meters.entry(org).or_insert(Meter {
            shared: 0,
            pending: 0,
            writing: None,
            synced: None,
        });
        let due =
            meter.writing.is_none() && meter.synced.is_none_or(|at| at.elapsed() >= METER_SYNC);
        // Even nothing to write reads the shared count (the other processes' lines).
        due.then(|| {
            let write = std::mem::take(&mut meter.pending);
            meter.writing = Some(write);
            write
        })
    }
}
