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

/// Takes back one event of `key` (a reservation that turned out not to count, such as a sign-in
/// that succeeded); a counter back at zero is removed.
pub async fn release(db: &sqlx::PgPool, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM throttle WHERE key = $1 AND count <= 1")
        .bind(key)
        .execute(db)
        .await?;
    sqlx::query("UPDATE throttle SET count = count - 1 WHERE key = $1")
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
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
