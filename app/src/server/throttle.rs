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
    add(db, key, window, 1).await
}

/// Records `amount` events for `key` at once (a quota of lines, say); the count in the current
/// window, these included.
pub async fn add(
    db: impl PgExecutor<'_>,
    key: &str,
    window: Duration,
    amount: u32,
) -> Result<u32, sqlx::Error> {
    let amount = i32::try_from(amount).unwrap_or(i32::MAX);
    let count: i32 = sqlx::query_scalar(
        "INSERT INTO throttle (key, window_start, count) VALUES ($1, now(), $3)
         ON CONFLICT (key) DO UPDATE SET
             count = CASE WHEN throttle.window_start <= now() - make_interval(secs => $2) THEN $3
                          ELSE least(throttle.count::bigint + $3, 2147483647)::int END,
             window_start = CASE WHEN throttle.window_start <= now() - make_interval(secs => $2) THEN now()
                                 ELSE throttle.window_start END
         RETURNING count",
    )
    .bind(key)
    .bind(window.as_secs_f64())
    .bind(amount)
    .fetch_one(db)
    .await?;
    Ok(count.max(0) as u32)
}

/// Takes back `amount` events of `key` (events refused after all); a counter back at zero is
/// removed.
pub async fn take_back(db: &sqlx::PgPool, key: &str, amount: u32) -> Result<(), sqlx::Error> {
    let amount = i32::try_from(amount).unwrap_or(i32::MAX);
    sqlx::query("DELETE FROM throttle WHERE key = $1 AND count <= $2")
        .bind(key)
        .bind(amount)
        .execute(db)
        .await?;
    sqlx::query("UPDATE throttle SET count = count - $2 WHERE key = $1")
        .bind(key)
        .bind(amount)
        .execute(db)
        .await?;
    Ok(())
}

/// Takes back one event of `key` (a reservation that turned out not to count, such as a sign-in
/// that succeeded).
pub async fn release(db: &sqlx::PgPool, key: &str) -> Result<(), sqlx::Error> {
    take_back(db, key, 1).await
}

/// Seconds until the window of `key` ends (0 when it has none).
pub async fn seconds_left(
    db: impl PgExecutor<'_>,
    key: &str,
    window: Duration,
) -> Result<u64, sqlx::Error> {
    let left: Option<f64> = sqlx::query_scalar(
        "SELECT extract(epoch FROM window_start + make_interval(secs => $2) - now())::float8
         FROM throttle WHERE key = $1",
    )
    .bind(key)
    .bind(window.as_secs_f64())
    .fetch_optional(db)
    .await?;
    Ok(left.unwrap_or(0.0).max(0.0).ceil() as u64)
}

/// The wait before a sign-in is checked once an account has `failures` recent failures from
/// anywhere and `limit` are allowed: none up to the limit, then 1 s doubling with each further
/// failure up to 8 s. The account is slowed down for everyone but never locked, so strangers'
/// guesses cannot keep its owner out.
pub fn progressive_delay(failures: u32, limit: u32) -> Option<Duration> {
    let over = failures.checked_sub(limit)?;
    Some(Duration::from_secs(1u64 << over.min(3)))
}

/// The part of a client address that throttling counts by: an IPv4 address whole (an
/// IPv4-mapped IPv6 address as the IPv4 one), an IPv6 address by its /64, since one
/// subscriber usually holds a whole /64 and could otherwise rotate through 2^64 addresses.
/// Text that is not an address is used as it is.
pub fn client_key(client_addr: &str) -> String {
    match client_addr.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                let prefix = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{prefix}/64")
            }
        },
        Ok(std::net::IpAddr::V4(v4)) => v4.to_string(),
        Err(_) => client_addr.to_string(),
    }
}

/// Forgets the events of `key` (after a successful sign-in, for example).
pub async fn clear(db: impl PgExecutor<'_>, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM throttle WHERE key = $1")
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}

/// Deletes counters whose window has ended: those whose key starts with `long.0` after
/// `long.1` (daily quotas), the others after `short` (the longest of the other windows).
pub async fn delete_stale(
    db: impl PgExecutor<'_>,
    short: Duration,
    long: (&str, Duration),
) -> Result<u64, sqlx::Error> {
    let result = sqlx::query(
        "DELETE FROM throttle WHERE window_start <= now() - make_interval(
             secs => CASE WHEN starts_with(key, $3) THEN $2 ELSE $1 END)",
    )
    .bind(short.as_secs_f64())
    .bind(long.1.as_secs_f64())
    .bind(long.0)
    .execute(db)
    .await?;
    Ok(result.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::{client_key, progressive_delay};
    use std::time::Duration;

    #[test]
    fn the_delay_starts_at_the_limit_and_doubles_to_eight_seconds() {
        assert_eq!(progressive_delay(4, 5), None);
        assert_eq!(progressive_delay(5, 5), Some(Duration::from_secs(1)));
        assert_eq!(progressive_delay(6, 5), Some(Duration::from_secs(2)));
        assert_eq!(progressive_delay(8, 5), Some(Duration::from_secs(8)));
        assert_eq!(progressive_delay(500, 5), Some(Duration::from_secs(8)));
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64_and_ipv4_whole() {
        assert_eq!(client_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(client_key("2001:db8:1:2:ffff:1:2:3"), "2001:db8:1:2::/64");
        assert_ne!(client_key("2001:db8:1:3::1"), client_key("2001:db8:1:2::1"));
        assert_eq!(client_key("203.0.113.9"), "203.0.113.9");
        assert_eq!(client_key("::ffff:203.0.113.9"), "203.0.113.9");
        assert_eq!(client_key(""), "");
    }
}
