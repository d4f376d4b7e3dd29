//! Sign-in benchmark (not a test): the real server on a fresh database, one verified account,
//! then sign-ins through the HTTP form endpoint. Prints the median and p99 latency one at a
//! time, and the sustained rate with as many concurrent clients as cores, twice and four times
//! that.
//! Run: `cargo bench -p valora-tests --bench sign_in`.

use std::time::{Duration, Instant};

use app::policy::{OrgKind, Role};
use valora_tests::bench::{bench_app, load, report};
use valora_tests::{TEST_PASSWORD, TestApp, session_cookie, signed_in_account};

const SEQUENTIAL: usize = 200;
const CONCURRENT_TOTAL: usize = 400;

async fn sign_in(app: &TestApp) -> Duration {
    let started = Instant::now();
    let response = app.sign_in_form("bench@andina.pe", TEST_PASSWORD).await;
    assert!(
        session_cookie(&response).is_some(),
        "sign-in failed: {}",
        response.status()
    );
    started.elapsed()
}

#[tokio::main]
async fn main() {
    let (app, _) = bench_app(16, false).await;
    signed_in_account(
        &app,
        (OrgKind::Importer, "Bench", "20100070970"),
        "bench@andina.pe",
        Role::OrgAdmin,
    )
    .await;

    let app_ref = &app;
    let one = move |_| sign_in(app_ref);
    report("sign-in", 1, &load(1, SEQUENTIAL, one).await);

    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    for clients in [cores, cores * 2, cores * 4] {
        report(
            "sign-in",
            clients,
            &load(clients, CONCURRENT_TOTAL / clients, one).await,
        );
    }
    app.server.shutdown().await;
}
