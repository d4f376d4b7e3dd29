//! Band benchmark (not a test), on the real server and a fresh database. Prints:
//! 1. records imported per second for one million declaration records (CSV file → COPY);
//! 2. seconds to compute the bands of those records, beside one plain SQL `percentile_cont`
//!    query over the same table (no trimming, doubles), the database's own floor;
//! 3. p50 and p99 latency of `GET /api/v1/bands` for one key with one million published bands,
//!    at 1 and at 32 concurrent clients.
//!
//! Run: `cargo bench -p valora-tests --bench bands`.

use std::io::Write;
use std::time::{Duration, Instant};

use app::domain::bands::BandRule;
use app::features::band_runs::service::{Doer, RunRequest, compute_run, publish_run};
use app::features::records::repo::load_reference;
use app::features::records::service::import_records;
use app::features::reference::{ReferenceKind, service::import_file};
use valora_tests::bench::{bench_app, load, report};
use valora_tests::{TestApp, fixture};

const RECORDS: u64 = 1_000_000;
const KEYS: u64 = 10_000;
const PUBLISHED_BANDS: i64 = 1_000_000;
const ORIGINS: [&str; 20] = [
    "CN", "US", "BR", "CL", "MX", "AR", "CO", "EC", "DE", "ES", "IT", "FR", "JP", "KR", "IN", "VN",
    "TH", "ID", "CA", "GB",
];

/// A deterministic pseudo-random stream (xorshift), enough to spread prices.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn write_records(path: &std::path::Path) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(
        out,
        "declared_on,tariff_code,origin,incoterm,quantity,unit,customs_value,currency"
    )
    .unwrap();
    let mut noise = Noise(0x9E37_79B9_7F4A_7C15);
    for i in 0..RECORDS {
        let key = i % KEYS;
        let code = 10_00_00 + (key / ORIGINS.len() as u64) * 7;
        let origin = ORIGINS[(key % ORIGINS.len() as u64) as usize];
        let base = 1.0 + (key % 97) as f64;
        // Log-normal-ish spread with a few wild values, as real declarations have.
        let spread = (noise.next() - 0.5) * 1.5 + if noise.next() < 0.02 { 4.0 } else { 0.0 };
        let unit_value = base * spread.exp();
        let quantity = 1 + (noise.next() * 5000.0) as u64;
        let day = 1 + (i % 28);
        writeln!(
            out,
            "2025-03-{day:02},{code:06},{origin},CIF,{quantity},KGM,{:.2},USD",
            (unit_value * quantity as f64).max(0.01)
        )
        .unwrap();
    }
    out.flush().unwrap();
}

async fn get_band(app: &TestApp, path: &str) -> Duration {
    let started = Instant::now();
    let response = app.get(path).await;
    assert_eq!(response.status(), 200);
    let body = response.bytes().await.unwrap();
    assert!(body.len() > 100, "one band in the answer");
    started.elapsed()
}

#[tokio::main]
async fn main() {
    let (app, _) = bench_app(40, false).await;
    for (kind, file) in [
        (ReferenceKind::Countries, "countries.csv"),
        (ReferenceKind::Units, "unece-units-of-measure.csv"),
    ] {
        let bytes = std::fs::read(fixture(file)).unwrap();
        import_file(&app.pool, kind, &bytes, false, "USD")
            .await
            .unwrap();
    }

    // 1. Import.
    let dir = std::env::temp_dir().join(format!("valora-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("records.csv");
    write_records(&path);
    let size = std::fs::metadata(&path).unwrap().len();
    let reference = load_reference(&app.pool, "USD", 7).await.unwrap();
    let file = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(&path).unwrap());
    let started = Instant::now();
    let imported = import_records(&app.pool, file, "bench", None, false, reference)
        .await
        .unwrap();
    let elapsed = started.elapsed();
    assert_eq!(imported.imported, RECORDS, "{:?}", imported.errors);
    println!(
        "import: {RECORDS} records ({:.0} MB) in {:.2} s = {:.0} records/s",
        size as f64 / 1e6,
        elapsed.as_secs_f64(),
        RECORDS as f64 / elapsed.as_secs_f64()
    );
    std::fs::remove_dir_all(&dir).ok();
    sqlx::query("VACUUM ANALYZE declaration_records")
        .execute(&app.pool)
        .await
        .unwrap();

    // 2. Computation, beside the plain aggregate.
    let request = RunRequest {
        period_from: "2025-01-01".parse().unwrap(),
        period_to: "2025-12-31".parse().unwrap(),
        code_level: 6,
        rule: BandRule::default(),
        base_currency: "USD".into(),
    };
    let started = Instant::now();
    let summary = compute_run(&app.pool, &request, Doer::COMMAND_LINE)
        .await
        .unwrap();
    let compute = started.elapsed();
    let started = Instant::now();
    let plain: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (
             SELECT tariff_code, origin, band_unit,
                    percentile_cont(ARRAY[0.1, 0.25, 0.5, 0.75, 0.9]) WITHIN GROUP (ORDER BY unit_value)
             FROM declaration_records GROUP BY tariff_code, origin, band_unit) AS p",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let plain_time = started.elapsed();
    println!(
        "compute: {} bands ({} keys too few) from {} records in {:.2} s; plain percentile_cont over the same table: {plain} groups in {:.2} s (ratio {:.1})",
        summary.bands_computed,
        summary.keys_too_few,
        summary.records_used,
        compute.as_secs_f64(),
        plain_time.as_secs_f64(),
        compute.as_secs_f64() / plain_time.as_secs_f64()
    );

    // 3. One million published bands, then the API for one key.
    let run: i64 = sqlx::query_scalar(
        "INSERT INTO band_runs (code_level, period_from, period_to, iqr_factor, min_sample, base_currency)
         VALUES (6, '2025-01-01', '2025-12-31', 3, 10, 'USD') RETURNING id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let started = Instant::now();
    sqlx::query(
        "INSERT INTO bands (run_id, tariff_code, origin, unit, n, n_trimmed, p10, p25, median, p75, p90)
         SELECT $1, lpad((100000 + i / 400)::text, 6, '0'),
                chr((65 + (i % 400) / 20)::int) || chr((65 + i % 20)::int), 'KGM', 40, 2,
                1 + i % 13, 2 + i % 13, 3 + i % 13, 4 + i % 13, 5 + i % 13
         FROM generate_series(0::bigint, $2 - 1) AS i",
    )
    .bind(run)
    .bind(PUBLISHED_BANDS)
    .execute(&app.pool)
    .await
    .unwrap();
    let today = chrono::Utc::now().date_naive();
    publish_run(&app.pool, run, today, Doer::COMMAND_LINE)
        .await
        .unwrap()
        .unwrap();
    sqlx::query("VACUUM ANALYZE bands")
        .execute(&app.pool)
        .await
        .unwrap();
    println!(
        "published {PUBLISHED_BANDS} bands in one version in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let path = "/api/v1/bands?hs=101234&origin=CD&unit=KGM";
    for _ in 0..50 {
        get_band(&app, path).await; // warm-up
    }
    let app_ref = &app;
    let band = move |_| get_band(app_ref, path);
    let what = format!("GET {path}");
    report(&what, 1, &load(1, 1000, band).await);
    report(&what, 32, &load(32, 100, band).await);
    app.server.shutdown().await;
}
