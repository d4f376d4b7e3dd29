//! Checks answered from memory: once read, what a check needs (the run in force and its bands,
//! rates, countries, currencies, units) costs no database round trip, and a change made by
//! another process (here: the command line's publication, straight on the database) is used
//! at once through PostgreSQL's notification.

use std::time::{Duration, Instant};

use app::features::band_runs::service::{Doer, publish_run};
use valora_tests::TestApp;

fn check_path(origin: &str, price: u32) -> String {
    format!(
        "/check?hs=0703.20.00.00&origin={origin}&incoterm=FOB&date={}&quantity=1&unit=KGM&currency=USD&price={price}&freight=10&insurance=10&related=no",
        chrono::Utc::now().date_naive()
    )
}

#[tokio::test]
async fn a_check_read_before_answers_while_every_table_it_reads_is_locked() {
    let app = TestApp::spawn_configured(|c| c.demo = true).await;
    let origin = app.demo_garlic_origin().await;
    let (status, page) = app.get_text(&check_path(&origin, 10)).await;
    assert_eq!(status, 200);
    assert!(page.contains("id=\"result\""), "a full result");

    // Another session holds every table a check reads: a check that went to the database
    // would wait for it.
    let mut lock = app.pool.begin().await.unwrap();
    sqlx::query(
        "LOCK TABLE bands, band_runs, exchange_rates, countries, currencies, units IN ACCESS EXCLUSIVE MODE",
    )
    .execute(&mut *lock)
    .await
    .unwrap();
    for price in [11, 250, 9000] {
        let answer = tokio::time::timeout(
            Duration::from_secs(5),
            app.get_text(&check_path(&origin, price)),
        )
        .await
        .expect("answered without waiting for the locked tables");
        assert_eq!(answer.0, 200);
        assert!(answer.1.contains("id=\"result\""), "price {price}");
    }
    lock.rollback().await.unwrap();
}

#[tokio::test]
async fn a_run_published_by_another_process_is_used_by_the_next_checks() {
    let app = TestApp::spawn_configured(|c| c.demo = true).await;
    let origin = app.demo_garlic_origin().await;
    let today = chrono::Utc::now().date_naive();
    let before = band_used(&app, &origin)
        .await
        .expect("the demo's run in force has the band");
    assert!(!before.ends_with(&today.to_string()), "{before}");
    // The demo's unpublished run, published the way the command line does it: straight on
    // the database, so only PostgreSQL's notification tells this server.
    let draft: i64 = sqlx::query_scalar(
        "SELECT id FROM band_runs WHERE status = 'draft' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    publish_run(&app.pool, draft, today, Doer::COMMAND_LINE)
        .await
        .unwrap()
        .unwrap();
    let published = Instant::now();
    // The new run (half a year of records) may have no band for this origin: then the check
    // says so rather than compare with the old run's.
    loop {
        let used = band_used(&app, &origin).await;
        if used.as_ref() != Some(&before) {
            assert!(
                used.as_ref()
                    .is_none_or(|used| used.ends_with(&today.to_string())),
                "{used:?}"
            );
            break;
        }
        assert!(
            published.elapsed() < Duration::from_secs(2),
            "still answering from the old run: {before}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!(
        "the new run was in use {} ms after it was published",
        published.elapsed().as_millis()
    );
}

/// The "band used" line of a check's result (code, origin, in force from), if it found one.
async fn band_used(app: &TestApp, origin: &str) -> Option<String> {
    let (status, page) = app.get_text(&check_path(origin, 10)).await;
    assert_eq!(status, 200);
    assert!(page.contains("id=\"result\""), "a result");
    let link = page.split("href=\"/bands/070320/").nth(1)?;
    let text = &link[link.find('>')? + 1..];
    Some(text[..text.find('<')?].to_string())
}
