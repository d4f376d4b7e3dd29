//! Sign-in benchmark (not a test): the real server on a fresh database, one verified account,
//! then sign-ins through the HTTP form endpoint. Prints the median and p99 latency one at a
//! time, and the sustained rate with as many concurrent clients as cores and twice that.
//! Run: `cargo bench -p valora-tests --bench sign_in`.

use std::time::{Duration, Instant};

use app::policy::{OrgKind, Role};
use valora_tests::{TEST_PASSWORD, TestApp, session_cookie, signed_in_account};

const SEQUENTIAL: usize = 200;
const CONCURRENT_TOTAL: usize = 400;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1]
}

async fn sign_in(app: &TestApp) -> Duration {
    let started = Instant::now();
    let response = app
        .post_form(
            "/api/sign-in",
            None,
            &[("email", "bench@andina.pe"), ("password", TEST_PASSWORD)],
        )
        .await;
    assert!(
        session_cookie(&response).is_some(),
        "sign-in failed: {}",
        response.status()
    );
    started.elapsed()
}

#[tokio::main]
async fn main() {
    let app = TestApp::spawn_configured(|c| c.db_max_connections = 16).await;
    signed_in_account(
        &app,
        (OrgKind::Importer, "Bench", "20100070970"),
        "bench@andina.pe",
        Role::OrgAdmin,
    )
    .await;

    let mut latencies = Vec::with_capacity(SEQUENTIAL);
    for _ in 0..SEQUENTIAL {
        latencies.push(sign_in(&app).await);
    }
    latencies.sort();
    println!(
        "sign-in, 1 client, {SEQUENTIAL} requests: median {:.1} ms, p99 {:.1} ms",
        percentile(&latencies, 50.0).as_secs_f64() * 1e3,
        percentile(&latencies, 99.0).as_secs_f64() * 1e3
    );

    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    for clients in [cores, cores * 2, cores * 4] {
        let started = Instant::now();
        let app = &app;
        let per_client = CONCURRENT_TOTAL / clients;
        let mut all: Vec<Duration> = futures_join(clients, per_client, app).await;
        let elapsed = started.elapsed();
        all.sort();
        println!(
            "sign-in, {clients} clients, {} requests: {:.1} sign-ins/s, median {:.1} ms, p99 {:.1} ms",
            all.len(),
            all.len() as f64 / elapsed.as_secs_f64(),
            percentile(&all, 50.0).as_secs_f64() * 1e3,
            percentile(&all, 99.0).as_secs_f64() * 1e3
        );
    }
    app.server.shutdown().await;
}

async fn futures_join(clients: usize, per_client: usize, app: &TestApp) -> Vec<Duration> {
    let clients = (0..clients).map(|_| async move {
        let mut mine = Vec::with_capacity(per_client);
        for _ in 0..per_client {
            mine.push(sign_in(app).await);
        }
        mine
    });
    futures_util::future::join_all(clients)
        .await
        .into_iter()
        .flatten()
        .collect()
}
