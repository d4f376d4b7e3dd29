//! Fixed-window counters in PostgreSQL, so every server process behind a load balancer shares
//! them. A window starts at the first event and lasts `window`.

use std::time::Duration;

use sqlx::PgExecutor;

/// Events counted for `key` in its current window (0 once the window has passed).
pub async fn count(
    db: impl PgExecutor<'_>,
    key: &str,
    window: Duration,
) -> Result<u32, sqlx::Error> {
    let count: Option<i32> = sqlx::query_scalar(
        "SELECT count FROM throttle WHERE key = $1 AND window_start > now() - make_interval(secs => $2)",
    )
    .bind(key)
    .bind(window.as_secs_f64())
    .fetch_optional(db)
    .await?;
    Ok(count.unwrap_or(0).max(0) as u32)
}

/// Records one event for `key` and returns the count in the current window, this one included.
pub async fn record(
    db: impl PgExecutor<'_>,
    key: &str,
    window: Duration,
) -> Result<u32, sqlx::Error> {
    let count: i32 = sqlx::query_scalar(
        "INSERT INTO throttle (key, window_start, count) VALUES ($1, now(), 1)
         ON CONFLICT (key) DO UPDATE SET
             count = CASE WHEN throttle.window_start <= now() - make_interval(secs => $2) THEN 1
                          ELSE throttle.count + 1 END,
             window_start = CASE WHEN throttle.window_start <= now() - make_interval(secs => $2) THEN now()
                                 ELSE throttle.window_start END
         RETURNING count",
    )
    .bind(key)
    .bind(window.as_secs_f64())
    .fetch_one(db)
    .await?;
    Ok(count.max(0) as u32)
}

/// Forgets the events of `key` (after a successful sign-in, for example).
pub async fn clear(db: impl PgExecutor<'_>, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM throttle WHERE key = $1")
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}

/// Deletes counters whose window ended more than `longest_window` ago.
pub async fn delete_stale(
    db: impl PgExecutor<'_>,
    longest_window: Duration,
) -> Result<u64, sqlx::Error> {
    let result =
        sqlx::query("DELETE FROM throttle WHERE window_start <= now() - make_interval(secs => $1)")
            .bind(longest_window.as_secs_f64())
            .execute(db)
            .await?;
    Ok(result.rows_affected())
}
