//! The valuation administrator's band runs: the band percentile definition agrees with
//! PostgreSQL's `percentile_cont` on real unit values, and on the demo data only valuation
//! administrators compute, review and publish a draft (and upload a reference file).

use std::collections::BTreeMap;
use std::str::FromStr;

use app::domain::bands::percentile_cont;
use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use valora_tests::{TestApp, fixture};

const VALUATION_ADMIN: &str = "victor.valoracion@sunat.demo";
const IMPORTER_ADMIN: &str = "ana.admin@importadora.demo";

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// Unit values (USD per kg) by HS6 code, from rows with a positive value and quantity.
fn baci_unit_values() -> BTreeMap<String, Vec<Decimal>> {
    let path = fixture("baci-2020-sample.csv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut groups: BTreeMap<String, Vec<Decimal>> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let [_, _, _, hs6, value, quantity] = fields[..] else {
            panic!("bad line {line}")
        };
        let (Ok(value), Ok(quantity)) = (Decimal::from_str(value), Decimal::from_str(quantity))
        else {
            continue;
        };
        if value > Decimal::ZERO && quantity > Decimal::ZERO {
            groups
                .entry(hs6.to_string())
                .or_default()
                .push(value / quantity);
        }
    }
    groups
}

/// Computes a draft run as `admin` over `period`; its number.
async fn compute_draft(app: &TestApp, admin: &str, period: &[(&str, &str)]) -> i64 {
    let response = app.call("/api/compute-bands", Some(admin), period).await;
    assert!(response.status().is_success(), "{}", response.status());
    sqlx::query_scalar("SELECT max(id) FROM band_runs")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn only_valuation_administrators_compute_publish_and_import() {
    let app = TestApp::spawn_demo_small_uploads().await;
    let admin = app.sign_in_demo(VALUATION_ADMIN).await;
    let importer = app.sign_in_demo(IMPORTER_ADMIN).await;
    let period = [
        ("period_from", "2025-01-01"),
        ("period_to", "2026-12-31"),
        ("code_level", "6"),
    ];

    assert_eq!(
        app.call_status("/api/compute-bands", None, &period).await,
        401
    );
    assert_eq!(
        app.call_status("/api/compute-bands", Some(&importer), &period)
            .await,
        403
    );
    assert_eq!(
        app.status_with_cookie("/api/band-runs", &importer).await,
        403
    );
    let page = app.text_with_cookie("/admin/bands", &importer).await;
    assert!(
        !page.contains("Calcular el borrador"),
        "no form for an importer"
    );
    assert!(page.contains(app::i18n::t(
        app::i18n::Lang::Es,
        app::i18n::Msg::ErrorNotAllowed
    )));

    let bad = [
        ("period_from", "2026-13-01"),
        ("period_to", "2025-01-01"),
        ("code_level", "5"),
    ];
    let response = app.call("/api/compute-bands", Some(&admin), &bad).await;
    assert_eq!(response.status(), 400);
    let text = response.text().await.unwrap();
    assert!(
        text.contains("period_from") && text.contains("code_level"),
        "{text}"
    );

    let run = compute_draft(&app, &admin, &period).await;
    let review = app
        .text_with_cookie(&format!("/admin/bands/{run}"), &admin)
        .await;
    assert!(review.contains("Cambio de la mediana") && review.contains("Publicar"));

    let publish = |date: String| {
        let run = run.to_string();
        let app = &app;
        let admin = admin.clone();
        async move {
            app.call(
                "/api/publish-bands",
                Some(&admin),
                &[("run_id", &run), ("effective_from", &date)],
            )
            .await
        }
    };
    assert_eq!(
        publish((today() - Days::new(1)).to_string()).await.status(),
        400,
        "not in the past"
    );
    assert_eq!(
        app.call_status(
            "/api/publish-bands",
            Some(&importer),
            &[
                ("run_id", &run.to_string()),
                ("effective_from", &(today() + Days::new(10)).to_string())
            ]
        )
        .await,
        403
    );
    assert!(
        publish((today() + Days::new(10)).to_string())
            .await
            .status()
            .is_success()
    );
    assert_eq!(
        publish((today() + Days::new(20)).to_string())
            .await
            .status(),
        400,
        "not a draft any more"
    );
    let (_, later) = app
        .get_json(&format!(
            "/api/v1/bands?limit=1&as_of={}",
            today() + Days::new(10)
        ))
        .await;
    assert_eq!(later["bands"][0]["version"].as_i64(), Some(run));
    let (_, now) = app.get_json("/api/v1/bands?limit=1").await;
    assert_ne!(
        now["bands"][0]["version"].as_i64(),
        Some(run),
        "not in force before its date"
    );

    // Reference upload: a bad file is reported by line and changes nothing.
    let countries_before = app.count("SELECT count(*) FROM countries").await;
    let upload = |cookie: String, body: Vec<u8>| {
        let app = &app;
        async move {
            let form = reqwest::multipart::Form::new()
                .text("kind", "countries")
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(body).file_name("paises.csv"),
                );
            app.upload("/admin/reference/import", Some(&cookie), form)
                .await
        }
    };
    let bad_file =
        b"alpha2,alpha3,numeric,name_en,name_es,currency\nQQ,QQQ,999,Q,Q,PEN\nQX,QXX,998,X,,PEN\n"
            .to_vec();
    assert_eq!(
        upload(importer.clone(), bad_file.clone()).await.status(),
        403
    );
    let response = upload(admin.clone(), bad_file).await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/admin/reference?report="));
    let report = app.text_with_cookie(&location, &admin).await;
    assert!(report.contains("No se importó nada"), "{report}");
    assert!(
        report.contains("<td class=\"numeric\">3"),
        "line 3 is named"
    );
    let countries_after = app.count("SELECT count(*) FROM countries").await;
    assert_eq!(countries_after, countries_before);
    let too_big = vec![b'a'; 70 * 1024];
    assert_eq!(upload(admin.clone(), too_big).await.status(), 413);
}

#[tokio::test]
async fn domain_percentiles_equal_postgresql_percentile_cont_on_real_trade_data() {
    let app = TestApp::spawn().await;
    let groups: Vec<(String, Vec<Decimal>)> = baci_unit_values()
        .into_iter()
        .filter(|(_, values)| values.len() >= 20)
        .take(60)
        .collect();
    assert!(
        groups.len() >= 50,
        "the sample has many HS6 codes with 20 or more flows"
    );
    for (hs6, mut values) in groups {
        let from_db: Vec<f64> = sqlx::query_scalar(
            "SELECT unnest(percentile_cont(ARRAY[0.1, 0.25, 0.5, 0.75, 0.9]) WITHIN GROUP (ORDER BY v))
             FROM unnest($1::numeric[]) AS v",
        )
        .bind(&values)
        .fetch_all(&app.pool)
        .await
        .unwrap();
        values.sort();
        for (p, db) in ["0.1", "0.25", "0.5", "0.75", "0.9"].iter().zip(from_db) {
            let ours: f64 = percentile_cont(&values, Decimal::from_str(p).unwrap())
                .unwrap()
                .try_into()
                .unwrap();
            // PostgreSQL computes percentile_cont in double precision.
            assert!(
                (ours - db).abs() <= 1e-9 * db.abs().max(1.0),
                "HS {hs6} p{p}: ours {ours}, PostgreSQL {db}"
            );
        }
    }
}

/// Makes the audit log refuse records of `action`, as a failing disk or a full table would.
async fn refuse_audit_of(app: &TestApp, action: &str) {
    sqlx::query(
        "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RAISE EXCEPTION 'audit refused'; END $$",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query(&format!(
        "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW
         WHEN (NEW.action = '{action}') EXECUTE FUNCTION refuse_audit()"
    ))
    .execute(&app.pool)
    .await
    .unwrap();
}

#[tokio::test]
async fn an_action_whose_audit_record_cannot_be_written_does_not_happen() {
    let app = TestApp::spawn_demo_small_uploads().await;
    let admin = app.sign_in_demo(VALUATION_ADMIN).await;
    let period = [
        ("period_from", "2025-01-01"),
        ("period_to", "2026-12-31"),
        ("code_level", "6"),
    ];
    let run = compute_draft(&app, &admin, &period).await;

    refuse_audit_of(&app, "bands.discard").await;
    let discard = app
        .call(
            "/api/discard-bands",
            Some(&admin),
            &[("run_id", &run.to_string())],
        )
        .await;
    assert_eq!(discard.status(), 500);
    let status: String = sqlx::query_scalar("SELECT status FROM band_runs WHERE id = $1")
        .bind(run)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(status, "draft", "no discard without its audit record");

    let runs_before = app.count("SELECT count(*) FROM band_runs").await;
    sqlx::query("DROP TRIGGER refuse_audit ON audit_log")
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query(
        "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW
         WHEN (NEW.action IN ('bands.compute', 'api_token.create')) EXECUTE FUNCTION refuse_audit()",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let compute = app.call("/api/compute-bands", Some(&admin), &period).await;
    assert_eq!(compute.status(), 500);
    assert_eq!(
        app.count("SELECT count(*) FROM band_runs").await,
        runs_before,
        "no run without its audit record"
    );
    let importer = app.sign_in_demo(IMPORTER_ADMIN).await;
    let token = app
        .call("/api/create-api-token", Some(&importer), &[("name", "ERP")])
        .await;
    assert_eq!(token.status(), 500);
    assert_eq!(
        app.count("SELECT count(*) FROM api_tokens").await,
        0,
        "no token without its audit record"
    );
}
