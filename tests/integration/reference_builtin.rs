//! Built-in reference data (`VALORA_BUILTIN_REFERENCE`, on by default, off in the other tests): a
//! fresh server loads the HS 2022 nomenclature, countries, currencies and units by itself, loads
//! them once, and leaves a table that already holds rows alone.

use valora_server::config::Config;
use valora_tests::{TestApp, fresh_database_url, test_config};

/// What each built-in table holds after a first start on an empty database.
const FULL: [(&str, i64); 4] = [
    ("SELECT count(*) FROM tariff_lines", 6_939),
    ("SELECT count(*) FROM countries", 249),
    ("SELECT count(*) FROM currencies", 160),
    ("SELECT count(*) FROM units", 2_136),
];

fn with_builtin_reference(url: &str) -> Config {
    let mut config = test_config(Some(url.to_string()), &std::env::temp_dir());
    config.builtin_reference = true;
    config
}

async fn table_counts(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for (sql, _) in FULL {
        counts.push(app.count(sql).await);
    }
    counts
}

#[tokio::test]
async fn a_fresh_server_finds_a_tariff_line_and_offers_the_check_without_any_import() {
    let url = fresh_database_url().await;
    let app = TestApp::start(with_builtin_reference(&url), |r| r).await;
    assert_eq!(
        table_counts(&app).await,
        FULL.map(|(_, rows)| rows).to_vec(),
        "tariff lines, countries, currencies, units"
    );

    let english = [("cookie", "lang=en")];
    let line = app.get_with("/bands/070320", &english).await;
    assert_eq!(line.status(), 200);
    let line = line.text().await.unwrap();
    assert!(line.contains("garlic, fresh or chilled"), "{line}");
    for query in ["garlic", "0703.20", "070320"] {
        let (status, page) = app.get_text(&format!("/bands?q={query}")).await;
        assert_eq!(status, 200);
        assert!(page.contains("href=\"/bands/070320\""), "{query}");
    }

    // The check form lists the built-in countries, currencies and units of goods.
    let (status, form) = app.get_text("/check?hs=070320").await;
    assert_eq!(status, 200);
    for option in [
        "value=\"CN\"",
        "value=\"PEN\"",
        "value=\"EUR\"",
        "value=\"KGM\"",
        "value=\"TNE\"",
    ] {
        assert!(form.contains(option), "{option} on the check form");
    }
}

#[tokio::test]
async fn a_second_start_imports_nothing_and_keeps_an_administrators_changes() {
    let url = fresh_database_url().await;
    let first = TestApp::start(with_builtin_reference(&url), |r| r).await;
    sqlx::query("UPDATE countries SET name_es = 'Perú (nombre propio)' WHERE alpha2 = 'PE'")
        .execute(&first.pool)
        .await
        .unwrap();
    let stamp = "SELECT (SELECT max(updated_at) FROM tariff_lines)::text || (SELECT max(updated_at) FROM currencies)::text || (SELECT max(updated_at) FROM units)::text";
    let loaded_at: String = sqlx::query_scalar(stamp)
        .fetch_one(&first.pool)
        .await
        .unwrap();
    first.server.shutdown().await;

    let second = TestApp::start(with_builtin_reference(&url), |r| r).await;
    assert_eq!(
        table_counts(&second).await,
        FULL.map(|(_, rows)| rows).to_vec()
    );
    let again: String = sqlx::query_scalar(stamp)
        .fetch_one(&second.pool)
        .await
        .unwrap();
    assert_eq!(again, loaded_at, "no row was written again");
    let name: String = sqlx::query_scalar("SELECT name_es FROM countries WHERE alpha2 = 'PE'")
        .fetch_one(&second.pool)
        .await
        .unwrap();
    assert_eq!(name, "Perú (nombre propio)");
}

#[tokio::test]
async fn a_table_that_holds_rows_is_left_alone_while_the_empty_ones_are_loaded() {
    let url = fresh_database_url().await;
    let before = TestApp::start(test_config(Some(url.clone()), &std::env::temp_dir()), |r| r).await;
    let own = "alpha2,alpha3,numeric,name_en,name_es,currency\nPE,PER,604,Peru,Perú,PEN\n";
    app::features::reference::service::import_file(
        &before.pool,
        app::features::reference::ReferenceKind::Countries,
        own.as_bytes(),
        false,
        "USD",
    )
    .await
    .unwrap();
    before.server.shutdown().await;

    let app = TestApp::start(with_builtin_reference(&url), |r| r).await;
    assert_eq!(
        table_counts(&app).await,
        vec![6_939, 1, 160, 2_136],
        "the deployment's own countries stay; the rest is built in"
    );
}
