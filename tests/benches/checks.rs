//! Value-check benchmark (not a test), on the real server with the demo data. Prints:
//! 1. p50 and p99 latency of a single check, as the page (`GET /check?...`, the whole page
//!    rendered) and through the API (`POST /api/v1/checks`, one line), at 1 and 64 concurrent
//!    clients, and requests per second at saturation (64 clients);
//! 2. beside it, the band lookup a check makes, run directly with pgbench at 1 and 64 clients
//!    (the database's own ceiling on this machine);
//! 3. seconds for a 10,000-line batch, as an uploaded CSV and through the API.
//!
//! Run: `cargo bench -p valora-tests --bench checks`.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use valora_tests::bench::{bench_app, load, report};

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

async fn timed(request: reqwest::RequestBuilder) -> Duration {
    let started = Instant::now();
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200);
    let body = response.bytes().await.unwrap();
    assert!(body.len() > 200);
    started.elapsed()
}

fn pgbench(url: &str, key: &Key, clients: usize) -> String {
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
    let line = |prefix: &str| {
        text.lines()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_default()
            .to_string()
    };
    format!("{}; {}", line("latency average"), line("tps"))
}

#[tokio::main]
async fn main() {
    let (app, url) = bench_app(40, true).await;
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

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(128)
        .build()
        .unwrap();
    let (app_ref, key_ref, client_ref, token_ref) = (&app, &key, &client, &token);
    let page = move |i: usize| timed(client_ref.get(app_ref.url(&page_path(key_ref, i))));
    let api = move |i: usize| {
        timed(
            client_ref
                .post(app_ref.url("/api/v1/checks"))
                .bearer_auth(token_ref)
                .json(&api_line(key_ref, i)),
        )
    };
    load(4, 25, page).await; // warm-up
    load(4, 25, api).await;
    report("check page GET /check", 1, &load(1, 500, page).await);
    report("check page GET /check", 64, &load(64, 20, page).await);
    report(
        "check API POST /api/v1/checks (1 line)",
        1,
        &load(1, 500, api).await,
    );
    report(
        "check API POST /api/v1/checks (1 line)",
        64,
        &load(64, 20, api).await,
    );
    println!(
        "pgbench, the band lookup, 1 client: {}",
        pgbench(&url, &key, 1)
    );
    println!(
        "pgbench, the band lookup, 64 clients: {}",
        pgbench(&url, &key, 64)
    );

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
