//! Load ramp (not a test): the real server (bench profile, i.e. release) with the demo data and
//! its default `VALORA_MAX_IN_FLIGHT`, loaded by `wrk` from a separate process at more and more
//! connections, for the check page and the checks API. Prints for each step the requests/s,
//! p50 and p99, and the answers by kind (200, 503 with `Retry-After`, anything else, socket
//! errors); then the breaking point (the most requests/s served with no 5xx and no error), the
//! first load at which requests are shed, and a light load right after the heaviest step (the
//! portal recovers at once). Every step is bounded in time (4 s).
//!
//! Run: `cargo bench -p valora-tests --bench overload` (wrk: `scripts/setup --test`).

use std::time::Duration;

use serde_json::json;
use valora_tests::bench::bench_app_configured;
use valora_tests::wrk::{self, Request, Run, measure};

const STEPS: [usize; 8] = [8, 32, 64, 128, 256, 384, 512, 1024];

#[tokio::main]
async fn main() {
    assert!(wrk::available(), "wrk is missing: run scripts/setup --test");
    let (app, _) = bench_app_configured(40, true, |c| {
        // Millions of lines in a few seconds: past the daily quota (a 429 is not the measure).
        c.quotas.api_lines_per_day = u32::MAX;
    })
    .await;
    let origin = app.demo_garlic_origin().await;
    let today = chrono::Utc::now().date_naive();
    let cookie = app.sign_in_demo("ana.admin@importadora.demo").await;
    let token: String = app
        .call("/api/create-api-token", Some(&cookie), &[("name", "ramp")])
        .await
        .json()
        .await
        .unwrap();
    let page = Request::get(format!(
        "/check?hs=0703.20&origin={origin}&incoterm=FOB&date={today}&quantity=1000&unit=KGM&currency=USD&price=900&freight=50&insurance=10&related=no"
    ));
    let line = json!({"hs": "070320", "origin": origin, "incoterm": "FOB", "date": today.to_string(),
        "quantity": "1000", "unit": "KGM", "currency": "USD", "price": "900"});
    let api = Request::post_json("/api/v1/checks", line.to_string(), &token);
    let base = app.url("/").as_str().trim_end_matches('/').to_string();
    let peak = std::sync::Mutex::new(0.0);
    println!(
        "max in flight {}; {} cores shared by wrk, the server and PostgreSQL",
        valora_server::config::Config::from_lookup(|_| None)
            .unwrap()
            .max_in_flight,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    for (what, request) in [("check page", &page), ("checks API (one line)", &api)] {
        measure(&base, request, 8, Duration::from_secs(2), &peak).await;
        let mut runs: Vec<Run> = Vec::new();
        for connections in STEPS {
            let run = measure(&base, request, connections, Duration::from_secs(4), &peak).await;
            run.print(what);
            runs.push(run);
        }
        let after = measure(&base, request, 16, Duration::from_secs(3), &peak).await;
        after.print(&format!("{what}, right after the heaviest step"));
        let clean = |r: &&Run| r.shed == 0 && r.other == 0 && r.errors == 0;
        let breaking = runs
            .iter()
            .filter(clean)
            .max_by(|a, b| a.per_second.total_cmp(&b.per_second));
        let shedding = runs.iter().find(|r| r.shed > 0);
        println!(
            "{what}: breaking point {:.0} requests/s with no 5xx (at {} connections); shedding from {}; \
             5xx other than shed 503s in the whole ramp: {}; recovery: {} of {} answers 200 at once",
            breaking.map_or(0.0, |r| r.per_second),
            breaking.map_or(0, |r| r.connections),
            shedding.map_or("no step".to_string(), |r| format!(
                "{} connections ({} of {} answers 503 with Retry-After)",
                r.connections,
                r.shed,
                r.ok + r.shed + r.other
            )),
            runs.iter().map(|r| r.other).sum::<u64>(),
            after.ok,
            after.ok + after.shed + after.other,
        );
        println!();
    }
    app.server.shutdown().await;
}
