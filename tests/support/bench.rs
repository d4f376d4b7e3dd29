//! What the benchmarks in `tests/benches/` share: the server they measure, latency percentiles,
//! concurrent request loops and the one line each measurement prints.

use std::future::Future;
use std::time::{Duration, Instant};

use crate::{TestApp, fresh_database_url, test_config};

/// A server on a fresh database with a pool of `connections`, with the demo data if `demo`;
/// also returns the database's URL (for tools such as pgbench).
pub async fn bench_app(connections: u32, demo: bool) -> (TestApp, String) {
    bench_app_configured(connections, demo, |_| {}).await
}

/// [`bench_app`] with the configuration adjusted first.
pub async fn bench_app_configured(
    connections: u32,
    demo: bool,
    adjust: impl FnOnce(&mut valora_server::config::Config),
) -> (TestApp, String) {
    let url = fresh_database_url().await;
    let mut config = test_config(Some(url.clone()), &std::env::temp_dir());
    config.demo = demo;
    config.db_max_connections = connections;
    adjust(&mut config);
    (TestApp::start(config, |r| r).await, url)
}

/// The nearest-rank percentile `p` (0-100) of ascending `sorted` latencies.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1]
}

/// Milliseconds, for printing.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Runs `clients` concurrent loops of `per_client` measurements (`measure(i)` for the `i`-th
/// overall); returns the latencies in ascending order and the measurements per second.
pub async fn load<F, Fut>(clients: usize, per_client: usize, measure: F) -> (Vec<Duration>, f64)
where
    F: Fn(usize) -> Fut + Copy,
    Fut: Future<Output = Duration>,
{
    let started = Instant::now();
    let mut all: Vec<Duration> = futures_util::future::join_all((0..clients).map(|c| async move {
        let mut mine = Vec::with_capacity(per_client);
        for i in 0..per_client {
            mine.push(measure(c * per_client + i).await);
        }
        mine
    }))
    .await
    .into_iter()
    .flatten()
    .collect();
    let per_second = all.len() as f64 / started.elapsed().as_secs_f64();
    all.sort();
    (all, per_second)
}

/// Prints one measurement: `what`, clients, count, p50, p99 and the rate.
pub fn report(what: &str, clients: usize, (latencies, per_second): &(Vec<Duration>, f64)) {
    println!(
        "{what}, {clients} client(s), {} requests: p50 {:.2} ms, p99 {:.2} ms, {per_second:.0} requests/s",
        latencies.len(),
        ms(percentile(latencies, 50.0)),
        ms(percentile(latencies, 99.0)),
    );
}
