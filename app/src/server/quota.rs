//! Daily quotas per organisation (batch files, API lines), counted in the shared throttle table
//! so that every server process sees the same count. A day is a fixed window from the first use.

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

/// What a quota counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counted {
    Batches,
    ApiLines,
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
        Counted::ApiLines => ("api-lines", quotas.api_lines_per_day),
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
