//! Value-check benchmark (not a test), on the real server (built with the bench profile, which
//! is the release profile) with the demo data, loaded by `wrk` from a separate process. Prints:
//! 1. the home page at one connection (goal: p50 under 2 ms);
//! 2. a single check as the whole page (`GET /check?...`) and through the API
//!    (`POST /api/v1/checks`, one line) at 1 and 64 connections: requests/s (and per core),
//!    p50 and p99 (goals at 64: p99 under 20 ms);
//! 3. beside them, the band lookup a check would make, run directly by pgbench at 1 and 64
//!    clients on the same machine (the database's own ceiling), and the ratio of the API's
//!    throughput to it (goal at 64: at least 50%);
//! 4. the server's resident memory at rest and its peak under load (the server runs in this
//!    process; wrk does not);
//! 5. seconds for a 10,000-line batch, as an uploaded CSV and through the API.
//!
//! Run: `cargo bench -p valora-tests --bench checks` (wrk and pgbench: `scripts/setup --test`).

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use valora_tests::bench::bench_app_configured;
use valora_tests::wrk::{self, Request, measure};

struct Key {
    code: String,
    origin: String,
    unit: String,
}

fn page_path(key: &Key, i: usize) -> String {
    format!(
        "/check?hs={}&origin={}&incoterm=FOB&date={}&quantity=100&unit={}&currency=USD&price={}&freight=20&insurance=5&related=no",
        key.code,
        key.origin,
        chrono::Utc::now().date_naive(),
        key.unit,
        100 + i % 900
    )
}

fn api_line(key: &Key, i: usize) -> Value {
    json!({
        "hs": key.code, "origin": key.origin, "incoterm": "FOB",
        "date": chrono::Utc::now().date_naive().to_string(), "quantity": 100, "unit": key.unit,
        "currency": "USD", "price": (100 + i % 900).to_string(), "freight": "20", "insurance": "5"
    })
}

/// pgbench running the lookup for 10 s: (transactions per second, mean latency in ms).
fn pgbench(url: &str, key: &Key, clients: usize) -> (f64, f64) {
    let script = std::env::temp_dir().join(format!("valora-check-{}.sql", std::process::id()));
    let prefix_end = format!("{}{}", &key.code[..5], (key.code.as_bytes()[5] + 1) as char);
    std::fs::write(
        &script,
        format!(
            "SELECT b.tariff_code, b.origin, c.name_es, c.name_en, b.unit, r.base_currency, b.n, b.n_trimmed,
       b.p10, b.p25, b.median, b.p75, b.p90, r.period_from, r.period_to, r.effective_from, r.id
FROM bands b JOIN band_runs r ON r.id = b.run_id LEFT JOIN countries c ON c.alpha2 = b.origin
WHERE b.run_id = (SELECT id FROM band_runs WHERE status = 'published' AND effective_from <= CURRENT_DATE
                  ORDER BY effective_from DESC LIMIT 1)
  AND b.origin = '{origin}'
  AND ((b.tariff_code >= '{code}' AND b.tariff_code < '{prefix_end}') OR b.tariff_code IN ('{c2}', '{c4}'));
",
            origin = key.origin,
            code = key.code,
            c2 = &key.code[..2],
            c4 = &key.code[..4],
        ),
    )
    .unwrap();
    let bin = std::fs::read_dir("/usr/lib/postgresql")
        .ok()
        .and_then(|dirs| {
            dirs.flatten()
                .map(|d| d.path().join("bin/pgbench"))
                .filter(|p| p.exists())
                .max()
        })
        .unwrap_or_else(|| "pgbench".into());
    let output = std::process::Command::new(bin)
        .args(["-n", "-M", "prepared", "-T", "10", "-j", "2"])
        .arg("-c")
        .arg(clients.to_string())
        .arg("-f")
        .arg(&script)
        .arg(url)
        .output()
        .expect("pgbench runs");
    std::fs::remove_file(&script).ok();
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    let number = |prefix: &str| -> f64 {
        text.lines()
            .find(|l| l.starts_with(prefix))
            .and_then(|l| l.split('=').nth(1))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("pgbench said: {text}"))
    };
    (number("tps"), number("latency average"))
}

#[tokio::main]
async fn main() {
    let (app, url) = bench_app_configured(40, true, |c| {
        // Millions of lines in a few seconds: past the daily quota (a 429 is not the measure).
        c.quotas.api_lines_per_day = u32::MAX;
    })
    .await;
    let key: Key = {
        let (code, origin, unit): (String, String, String) = sqlx::query_as(
            "SELECT b.tariff_code, b.origin::text, b.unit FROM bands b JOIN band_runs r ON r.id = b.run_id
             WHERE r.id = (SELECT id FROM band_runs WHERE status = 'published' AND effective_from <= current_date ORDER BY effective_from DESC LIMIT 1) AND b.unit = 'KGM' ORDER BY b.n DESC LIMIT 1",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap();
        Key { code, origin, unit }
    };
    // API tokens are made by an organisation's administrators.
    let cookie = app.sign_in_demo("ana.admin@importadora.demo").await;
    let token: String = app
        .call("/api/create-api-token", Some(&cookie), &[("name", "bench")])
        .await
        .json()
        .await
        .unwrap();
    println!(
        "key {} {} {}; demo bands: {}",
        key.code,
        key.origin,
        key.unit,
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM bands")
            .fetch_one(&app.pool)
            .await
            .unwrap()
    );

    assert!(wrk::available(), "wrk is missing: run scripts/setup --test");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let base = app.url("/").as_str().trim_end_matches('/').to_string();
    let page = Request::get(page_path(&key, 0));
    let api = Request::post_json("/api/v1/checks", api_line(&key, 0).to_string(), &token);
    let seconds = Duration::from_secs;
    let peak = std::sync::Mutex::new(0.0f64);
    // Warm-up: the first check reads what it needs into memory.
    measure(&base, &page, 4, seconds(2), &peak).await;
    measure(&base, &api, 4, seconds(2), &peak).await;
    let at_rest = wrk::resident_mib();
    *peak.lock().unwrap() = at_rest;

    let home = measure(&base, &Request::get("/"), 1, seconds(5), &peak).await;
    home.print("home page GET /");
    let page_1 = measure(&base, &page, 1, seconds(10), &peak).await;
    page_1.print("check page GET /check");
    let page_64 = measure(&base, &page, 64, seconds(10), &peak).await;
    page_64.print("check page GET /check");
    let api_1 = measure(&base, &api, 1, seconds(10), &peak).await;
    api_1.print("check API POST /api/v1/checks (1 line)");
    let api_64 = measure(&base, &api, 64, seconds(10), &peak).await;
    api_64.print("check API POST /api/v1/checks (1 line)");
    let (pg_1, pg_1_ms) = pgbench(&url, &key, 1);
    let (pg_64, pg_64_ms) = pgbench(&url, &key, 64);
    println!("pgbench, the band lookup, 1 client: {pg_1:.0} tps, mean {pg_1_ms:.3} ms");
    println!("pgbench, the band lookup, 64 clients: {pg_64:.0} tps, mean {pg_64_ms:.3} ms");

    println!();
    println!("{cores} cores; the load generator, the server and PostgreSQL share them");
    println!(
        "{:<34} {:>8} {:>10} {:>9} {:>9} {:>14}",
        "at 64 connections", "req/s", "req/s/core", "p50 ms", "p99 ms", "vs pgbench"
    );
    for (what, run) in [
        ("check page (whole page)", &page_64),
        ("checks API (one line)", &api_64),
    ] {
        println!(
            "{:<34} {:>8.0} {:>10.0} {:>9.2} {:>9.2} {:>13.0}%",
            what,
            run.per_second,
            run.per_second / cores as f64,
            run.p50_ms,
            run.p99_ms,
            100.0 * run.per_second / pg_64
        );
    }
    println!(
        "{:<34} {:>8.0} {:>10.0} {:>9} {:>9.2} {:>14}",
        "pgbench, the lookup alone",
        pg_64,
        pg_64 / cores as f64,
        "",
        pg_64_ms,
        "100%"
    );
    println!(
        "goals: API at least 50% of pgbench: {:.0}%; API p99 under 20 ms: {:.2} ms; page p99 under 20 ms: {:.2} ms; home p50 under 2 ms: {:.2} ms",
        100.0 * api_64.per_second / pg_64,
        api_64.p99_ms,
        page_64.p99_ms,
        home.p50_ms
    );
    println!(
        "server resident memory: {at_rest:.0} MiB at rest, {:.0} MiB at most under load",
        *peak.lock().unwrap()
    );
    for run in [&home, &page_1, &page_64, &api_1, &api_64] {
        assert_eq!(run.ok + run.shed + run.other, run.ok, "every answer a 200");
    }
    println!();

    let client = reqwest::Client::new();
    // A 10,000-line batch: lines over many band keys, as CSV upload and as JSON.
    let keys: Vec<Key> = sqlx::query_as::<_, (String, String, String)>(
        "SELECT DISTINCT b.tariff_code, b.origin::text, b.unit FROM bands b JOIN band_runs r ON r.id = b.run_id
         WHERE r.id = (SELECT id FROM band_runs WHERE status = 'published' AND effective_from <= current_date ORDER BY effective_from DESC LIMIT 1) LIMIT 2000",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap()
    .into_iter()
    .map(|(code, origin, unit)| Key { code, origin, unit })
    .collect();
    let today = chrono::Utc::now().date_naive();
    let mut csv = String::from("hs,origin,incoterm,date,quantity,unit,currency,price,freight\n");
    let mut lines = Vec::new();
    for i in 0..10_000 {
        let k = &keys[i % keys.len()];
        csv.push_str(&format!(
            "{},{},FOB,{today},100,{},USD,{},20\n",
            k.code,
            k.origin,
            k.unit,
            100 + i % 900
        ));
        lines.push(api_line(k, i));
    }
    let started = Instant::now();
    let response = app
        .upload(
            "/check/batch/upload",
            Some(&cookie),
            reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("bench.csv"),
            ),
        )
        .await;
    assert!(response.status().is_redirection());
    println!(
        "10,000-line batch ({} band keys), CSV upload, checked and saved: {:.2} s",
        keys.len(),
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let response = client
        .post(app.url("/api/v1/checks"))
        .bearer_auth(&token)
        .json(&json!({ "lines": lines }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["results"].as_array().unwrap().len(), 10_000);
    println!(
        "10,000-line batch through POST /api/v1/checks: {:.2} s",
        started.elapsed().as_secs_f64()
    );
    app.server.shutdown().await;
}
