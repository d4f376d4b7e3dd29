//! Customs cases benchmark (not a test), on the real server with the demo data and, beside it,
//! 100,000 cases and 1,000,000 messages made with `generate_series` (spread over states,
//! officers, 200 importers, tariff codes and origins). Prints, as the demo officer:
//! 1. p50 and p95 latency of the queue page `GET /customs/cases` (the whole page with the tab
//!    counts) for each tab, without and with filters (state, tariff chapter, importer, overdue,
//!    words), goal p95 under 300 ms;
//! 2. p50 and p95 latency of a message send (`POST /cases/{reference}/messages`, no JavaScript).
//!
//! Run: `cargo bench -p valora-tests --bench cases`.

use std::time::{Duration, Instant};

use valora_tests::bench::{bench_app, ms, percentile};

const CASES: i64 = 100_000;
const MESSAGES_PER_CASE: i64 = 10;
const IMPORTERS: i64 = 200;
const OFFICERS: i64 = 20;
/// Requests per variant.
const REQUESTS: usize = 40;

/// The symbols of readable references.
const SYMBOLS: &str = "23456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A SQL expression giving the bench case reference of row `i`: `CAS-BNCH-XXXX-XXXX`.
fn reference_sql(i: &str) -> String {
    let digit = |k: u32| {
        format!(
            "substr('{SYMBOLS}', (({i} / {}) % 30)::int + 1, 1)",
            30i64.pow(k)
        )
    };
    let group = |ks: [u32; 4]| ks.map(digit).join(" || ");
    format!(
        "'CAS-BNCH-' || {} || '-' || {}",
        group([7, 6, 5, 4]),
        group([3, 2, 1, 0])
    )
}

async fn exec(pool: &sqlx::PgPool, what: &str, sql: &str) {
    let started = Instant::now();
    sqlx::query(sql)
        .execute(pool)
        .await
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    println!("seeded {what} in {:.1} s", started.elapsed().as_secs_f64());
}

async fn seed(pool: &sqlx::PgPool) {
    exec(
        pool,
        "importers",
        &format!(
            "INSERT INTO organisations (kind, name, tax_id_scheme, tax_id)
             SELECT 'importer', 'Importadora de carga ' || i, 'RUC', '30' || lpad(i::text, 9, '0')
             FROM generate_series(1, {IMPORTERS}) i"
        ),
    )
    .await;
    exec(
        pool,
        "officers",
        &format!(
            "INSERT INTO users (organisation_id, email, full_name, role, password_hash, email_verified_at)
             SELECT (SELECT organisation_id FROM users WHERE email = 'olga.oficial@sunat.demo'),
                    'oficial' || i || '@carga.demo', 'Oficial de carga ' || i, 'customs_officer',
                    'unusable', now()
             FROM generate_series(1, {OFFICERS}) i"
        ),
    )
    .await;
    let reference = reference_sql("i");
    exec(
        pool,
        "cases",
        &format!(
            "WITH importers AS (
                 SELECT array_agg(id ORDER BY tax_id) AS ids FROM organisations WHERE kind = 'importer'
             ), officers AS (
                 SELECT array_agg(id ORDER BY email) AS ids FROM users WHERE role = 'customs_officer'
             ), people AS (
                 SELECT (SELECT id FROM users WHERE email = 'ana.admin@importadora.demo') AS trader
             ), rows AS (
                 SELECT i,
                        (ARRAY['draft', 'submitted', 'submitted', 'in_progress', 'in_progress',
                               'awaiting_trader', 'under_review', 'closed', 'closed', 'withdrawn'])[i % 10 + 1] AS state,
                        now() - make_interval(hours => (i % 9000)::int) AS created
                 FROM generate_series(1, {CASES}) i
             )
             INSERT INTO cases (id, reference, kind, state, importer_id, declaration_ref, subject,
                                category, tariff_code, origin, level, created_by, created_at,
                                sent_at, assignee_id, due_on, paused_days, awaiting_since, outcome,
                                outcome_grounds, closed_at, closed_on_time, last_activity_at)
             SELECT gen_random_uuid(), {reference},
                    CASE WHEN r.state IN ('awaiting_trader', 'under_review') OR i % 3 = 0 THEN 'request' ELSE 'query' END,
                    r.state,
                    (SELECT ids FROM importers)[i % array_length((SELECT ids FROM importers), 1) + 1],
                    '118-2026-10-' || lpad(i::text, 6, '0'),
                    (ARRAY['Valor del ajo importado', 'Precio de portátiles vinculados',
                           'Flete de textiles', 'Seguro de acero laminado', 'Regalías de vino'])[i % 5 + 1] || ' ' || i,
                    (ARRAY['valuation', 'evidence', 'procedure'])[i % 3 + 1],
                    lpad((i % 97 + 1)::text, 2, '0') || lpad(((i * 13) % 10000)::text, 4, '0') || '0000',
                    (ARRAY['CN', 'US', 'DE', 'BR', 'IN', 'JP', 'KR', 'MX', 'CL', 'VN'])[i % 10 + 1],
                    (ARRAY['well_below', 'below', 'usual', 'above', 'well_above', 'no_band'])[i % 6 + 1],
                    (SELECT trader FROM people), r.created,
                    CASE WHEN r.state <> 'draft' THEN r.created + interval '1 hour' END,
                    CASE WHEN r.state IN ('in_progress', 'awaiting_trader', 'under_review', 'closed')
                         THEN (SELECT ids FROM officers)[(i / 10) % array_length((SELECT ids FROM officers), 1) + 1] END,
                    CASE WHEN r.state NOT IN ('draft', 'withdrawn') THEN current_date + (i % 30 - 10) END,
                    CASE WHEN r.state = 'under_review' THEN 2 ELSE 0 END,
                    CASE WHEN r.state = 'awaiting_trader' THEN current_date - (i % 5) END,
                    CASE WHEN r.state = 'closed' THEN (ARRAY['answered', 'dispelled', 'confirmed'])[i % 3 + 1] END,
                    CASE WHEN r.state = 'closed' THEN 'Fundamentos del resultado' ELSE '' END,
                    CASE WHEN r.state = 'closed' THEN r.created + interval '3 days' END,
                    CASE WHEN r.state = 'closed' THEN i % 4 <> 0 END,
                    r.created + interval '2 hours'
             FROM rows r"
        ),
    )
    .await;
    exec(
        pool,
        "requests",
        "INSERT INTO case_requests (id, case_id, issued_by, issued_at, grounds, period_days, due_on,
                                    answered_at, answer_kind)
         SELECT gen_random_uuid(), c.id, c.assignee_id, c.sent_at, 'Fundamentos', 5,
                COALESCE(c.due_on, current_date),
                CASE WHEN c.state <> 'awaiting_trader' THEN c.sent_at + interval '2 days' END,
                CASE WHEN c.state <> 'awaiting_trader' THEN 'answer' END
         FROM cases c
         WHERE c.reference LIKE 'CAS-BNCH-%' AND c.kind = 'request' AND c.assignee_id IS NOT NULL",
    )
    .await;
    exec(
        pool,
        "messages",
        &format!(
            "INSERT INTO case_messages (id, case_id, side, author_id, author_org, body, created_at,
                                        sent_at, client_key)
             SELECT gen_random_uuid(), c.id,
                    CASE WHEN k % 2 = 1 THEN 'trader' ELSE 'customs' END,
                    CASE WHEN k % 2 = 1 THEN c.created_by ELSE COALESCE(c.assignee_id, o.officer) END,
                    CASE WHEN k % 2 = 1 THEN c.importer_id ELSE o.customs END,
                    'Mensaje número ' || k || ' del caso ' || c.reference,
                    c.created_at + make_interval(mins => k::int),
                    CASE WHEN c.state <> 'draft' THEN c.created_at + make_interval(mins => k::int) END,
                    gen_random_uuid()
             FROM cases c
             CROSS JOIN generate_series(1, {MESSAGES_PER_CASE}) k
             CROSS JOIN (SELECT id AS officer, organisation_id AS customs FROM users
                         WHERE email = 'olga.oficial@sunat.demo') o
             WHERE c.reference LIKE 'CAS-BNCH-%'"
        ),
    )
    .await;
    exec(
        pool,
        "reads",
        "INSERT INTO case_message_reads (message_id, read_by, read_at)
         SELECT m.id, c.created_by, m.sent_at + interval '1 hour'
         FROM case_messages m JOIN cases c ON c.id = m.case_id
         WHERE c.reference LIKE 'CAS-BNCH-%' AND m.sent_at IS NOT NULL AND m.side = 'customs'
           AND hashtext(m.id::text) % 3 <> 0",
    )
    .await;
    exec(
        pool,
        "events",
        "INSERT INTO case_events (case_id, at, kind, actor_id)
         SELECT c.id, c.created_at, 'created', c.created_by FROM cases c
         WHERE c.reference LIKE 'CAS-BNCH-%'",
    )
    .await;
    exec(pool, "statistics", "ANALYZE").await;
    let cases: i64 = sqlx::query_scalar("SELECT count(*) FROM cases")
        .fetch_one(pool)
        .await
        .unwrap();
    let messages: i64 = sqlx::query_scalar("SELECT count(*) FROM case_messages")
        .fetch_one(pool)
        .await
        .unwrap();
    println!("{cases} cases, {messages} messages");
}

/// The latency of one full page: sent, answered 200, body read.
async fn page(client: &reqwest::Client, url: &str, cookie: &str) -> Duration {
    let started = Instant::now();
    let response = client
        .get(url)
        .header("cookie", cookie)
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, 200, "{url}: {}", &body[..body.len().min(400)]);
    started.elapsed()
}

fn print(what: &str, mut latencies: Vec<Duration>) {
    latencies.sort();
    let p95 = percentile(&latencies, 95.0);
    println!(
        "{what:<52} {} requests: p50 {:>7.1} ms, p95 {:>7.1} ms{}",
        latencies.len(),
        ms(percentile(&latencies, 50.0)),
        ms(p95),
        if p95 > Duration::from_millis(300) {
            "  (over the 300 ms goal)"
        } else {
            ""
        }
    );
}

#[tokio::main]
async fn main() {
    let (app, _url) = bench_app(10, true).await;
    seed(&app.pool).await;
    let officer = app.sign_in_demo("olga.oficial@sunat.demo").await;
    let client = app.client.clone();

    let (importer_tax_id,): (String,) = sqlx::query_as(
        "SELECT tax_id FROM organisations WHERE kind = 'importer' AND tax_id LIKE '30%' ORDER BY tax_id LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let filters: Vec<(&str, String)> = vec![
        ("no filter", String::new()),
        ("state=in_progress", "&state=in_progress".into()),
        ("tariff chapter 07", "&tariff=07".into()),
        ("importer RUC", format!("&importer={importer_tax_id}")),
        ("overdue only", "&overdue=yes".into()),
        ("words \"portátiles\"", "&words=port%C3%A1tiles".into()),
        (
            "chapter 07 + origin CN + overdue, by age",
            "&tariff=07&origin=CN&overdue=yes&sort=age".into(),
        ),
    ];
    println!("queue page GET /customs/cases as the demo officer:");
    for tab in ["unassigned", "mine", "all"] {
        for (label, query) in &filters {
            let url = app
                .url(&format!("/customs/cases?tab={tab}{query}"))
                .to_string();
            // One unmeasured request warms the caches and the plan.
            page(&client, &url, &officer).await;
            let mut latencies = Vec::with_capacity(REQUESTS);
            for _ in 0..REQUESTS {
                latencies.push(page(&client, &url, &officer).await);
            }
            print(&format!("tab={tab}, {label}"), latencies);
        }
    }

    // A message send on a case assigned to the demo officer, without JavaScript.
    let reference: String = sqlx::query_scalar(
        "SELECT c.reference FROM cases c JOIN users u ON u.id = c.assignee_id
         WHERE u.email = 'olga.oficial@sunat.demo' AND c.state = 'in_progress' LIMIT 1",
    )
    .fetch_optional(&app.pool)
    .await
    .unwrap()
    .unwrap_or_default();
    if reference.is_empty() {
        println!("no in-progress case of the demo officer: message send not measured");
        return;
    }
    let url = app.url(&format!("/cases/{reference}/messages")).to_string();
    let origin = app.base.origin().ascii_serialization();
    let mut latencies = Vec::with_capacity(REQUESTS);
    for i in 0..REQUESTS {
        let form = reqwest::multipart::Form::new()
            .text("body", format!("Mensaje de la prueba de carga {i}"))
            .text("client_key", uuid::Uuid::new_v4().to_string())
            .text("purpose", "message");
        let started = Instant::now();
        let response = client
            .post(&url)
            .header("cookie", &officer)
            .header("origin", &origin)
            .header("accept", "text/html")
            .multipart(form)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let _ = response.bytes().await;
        assert!(
            status == 303 || status == 200,
            "message send answered {status}"
        );
        latencies.push(started.elapsed());
    }
    print(
        &format!("message send POST /cases/{reference}/messages"),
        latencies,
    );
    app.server.shutdown().await;
}
