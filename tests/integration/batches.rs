//! Batch checks: a 10,000-line invoice as CSV and as XLSX gives the same results; bad lines get
//! their line numbers; files that cannot be read are refused whole and save nothing.

use std::time::Instant;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use valora_tests::{TestApp, location};

const HEADER: [&str; 12] = [
    "hs",
    "origin",
    "incoterm",
    "date",
    "quantity",
    "unit",
    "currency",
    "price",
    "freight",
    "insurance",
    "related",
    "reasons",
];

/// 10,000 invoice lines over the published demo bands, prices spread around each median, with
/// a bad line every 500 (each kind of mistake in turn).
async fn invoice_lines(app: &TestApp) -> Vec<[String; 12]> {
    let keys: Vec<(String, String, String, rust_decimal::Decimal)> = sqlx::query_as(
        "SELECT DISTINCT ON (b.tariff_code, b.origin) b.tariff_code, b.origin::text, b.unit, b.median
         FROM bands b JOIN band_runs r ON r.id = b.run_id
         WHERE r.id = (SELECT id FROM band_runs WHERE status = 'published' AND effective_from <= current_date ORDER BY effective_from DESC LIMIT 1) ORDER BY b.tariff_code, b.origin LIMIT 400",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(keys.len() > 100, "demo bands");
    let today = chrono::Utc::now().date_naive().to_string();
    let incoterms = ["FOB", "CIF", "EXW", "FCA", "CFR", "DAP"];
    (0..10_000usize)
        .map(|i| {
            let (code, origin, unit, median) = &keys[i % keys.len()];
            let quantity = rust_decimal::Decimal::from(10 + (i % 37) as i64 * 25);
            let spread = rust_decimal::Decimal::new(20 + ((i * 7919) % 260) as i64, 2);
            let price = (median * quantity * spread).round_dp(2).normalize();
            let mut line = [
                code.clone(),
                origin.clone(),
                incoterms[i % incoterms.len()].to_string(),
                today.clone(),
                quantity.to_string(),
                unit.clone(),
                "USD".to_string(),
                price.to_string(),
                if i % 3 == 0 {
                    "150.5".into()
                } else {
                    String::new()
                },
                if i % 4 == 0 {
                    "12.25".into()
                } else {
                    String::new()
                },
                if i % 11 == 0 {
                    "yes".into()
                } else {
                    "no".into()
                },
                if i % 13 == 0 {
                    "discount;quantity".into()
                } else {
                    String::new()
                },
            ];
            if i % 500 == 250 {
                match (i / 500) % 5 {
                    0 => line[1] = "XX".into(),
                    1 => line[7] = String::new(),
                    2 => line[10] = "maybe".into(),
                    3 => line[11] = "cheap".into(),
                    _ => line[3] = "31/12/2026".into(),
                }
            }
            line
        })
        .collect()
}

fn as_csv(lines: &[[String; 12]]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(HEADER).unwrap();
    for line in lines {
        writer.write_record(line).unwrap();
    }
    writer.into_inner().unwrap()
}

/// The same lines as a workbook the way a spreadsheet keeps them: quantities and amounts as
/// numbers, dates as dates, codes as text (one stored as a number, its leading zero lost).
fn as_xlsx(lines: &[[String; 12]]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    for (col, name) in HEADER.iter().enumerate() {
        sheet.write_string(0, col as u16, *name).unwrap();
    }
    for (i, line) in lines.iter().enumerate() {
        let row = i as u32 + 1;
        for (col, value) in line.iter().enumerate() {
            let col16 = col as u16;
            let number = value.parse::<f64>().ok();
            match (col, number) {
                (_, _) if value.is_empty() => {}
                (0, Some(n)) if value.starts_with('0') && i % 2 == 0 => {
                    sheet.write_number(row, col16, n).unwrap();
                }
                (3, _) => match chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
                    Ok(d) => {
                        use chrono::Datelike;
                        let date = ExcelDateTime::from_ymd(
                            d.year() as u16,
                            d.month() as u8,
                            d.day() as u8,
                        )
                        .unwrap();
                        sheet
                            .write_datetime_with_format(row, col16, &date, &date_format)
                            .unwrap();
                    }
                    Err(_) => {
                        sheet.write_string(row, col16, value).unwrap();
                    }
                },
                (4 | 7 | 8 | 9, Some(n)) => {
                    sheet.write_number(row, col16, n).unwrap();
                }
                _ => {
                    sheet.write_string(row, col16, value).unwrap();
                }
            }
        }
    }
    book.save_to_buffer().unwrap()
}

/// An invoice file as the upload form sends it.
fn invoice_file(name: &str, bytes: Vec<u8>) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
    )
}

async fn upload(app: &TestApp, cookie: &str, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    app.upload(
        "/check/batch/upload",
        Some(cookie),
        invoice_file(name, bytes),
    )
    .await
}

async fn batch_count(app: &TestApp) -> (i64, i64) {
    app.count_pair(
        "SELECT (SELECT count(*) FROM check_batches), (SELECT count(*) FROM check_batch_lines)",
    )
    .await
}

/// The demo data, and the demo compliance officer's session.
async fn demo_compliance() -> (TestApp, String) {
    let app = TestApp::spawn_configured(|c| c.demo = true).await;
    let cookie = app
        .sign_in_demo("carlos.cumplimiento@importadora.demo")
        .await;
    (app, cookie)
}

#[tokio::test]
async fn csv_and_xlsx_of_the_same_lines_give_the_same_results() {
    let (app, cookie) = demo_compliance().await;
    let lines = invoice_lines(&app).await;

    let started = Instant::now();
    let from_csv = location(&upload(&app, &cookie, "invoice.csv", as_csv(&lines)).await);
    println!(
        "10,000-line CSV batch: {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let from_xlsx = location(&upload(&app, &cookie, "invoice.xlsx", as_xlsx(&lines)).await);
    println!(
        "10,000-line XLSX batch: {:.2} s",
        started.elapsed().as_secs_f64()
    );
    assert!(from_csv.starts_with("/check/batch/VAL-") && from_csv != from_xlsx);

    let csv_results = app
        .text_with_cookie(&format!("{from_csv}/results.csv"), &cookie)
        .await;
    let xlsx_results = app
        .text_with_cookie(&format!("{from_xlsx}/results.csv"), &cookie)
        .await;
    assert_eq!(csv_results.lines().count(), 10_001);
    assert!(
        csv_results == xlsx_results,
        "the two formats gave different results"
    );

    // The results name the line of each mistake (line 1 is the header).
    let mut reader = csv::Reader::from_reader(csv_results.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let with_errors: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| !r[column("errors")].is_empty())
        .map(|r| (&r[column("line")], &r[column("errors")]))
        .collect();
    assert_eq!(with_errors.len(), 20, "{with_errors:?}");
    assert_eq!(with_errors[0].0, "252");
    for (error, field) in with_errors
        .iter()
        .zip(["origin:", "price:", "related:", "reasons:", "date:"])
    {
        assert!(error.1.starts_with(field), "{error:?}");
    }
    assert!(
        rows.iter()
            .all(|r| &r[column("level")] != "no_band" || !r[column("errors")].is_empty()),
        "every good line meets its band"
    );
    let levels: std::collections::BTreeSet<&str> = rows
        .iter()
        .map(|r| &r[column("level")])
        .filter(|l| !l.is_empty())
        .collect();
    assert!(
        levels.len() >= 4,
        "prices spread over the levels: {levels:?}"
    );

    // The results page shows the counts and pages through the lines.
    let page = app.text_with_cookie(&from_csv, &cookie).await;
    assert!(page.contains("id=\"line-count\">10000<") && page.contains("id=\"error-count\">20<"));
    assert!(page.contains("?page=2"));
    // Another organisation does not see it.
    let broker = app.sign_in_demo("beto.agente@agencia.demo").await;
    assert_eq!(
        app.status_with_cookie(&format!("{from_csv}/results.csv"), &broker)
            .await,
        404
    );
}

#[tokio::test]
async fn unreadable_files_are_refused_whole_and_save_nothing() {
    let (app, cookie) = demo_compliance().await;
    let lines = invoice_lines(&app).await;
    let good = as_csv(&lines[..3]);
    let before = batch_count(&app).await;

    let mut too_many = as_csv(&lines);
    too_many.extend_from_slice(format!("{}\n", lines[0].join(",")).as_bytes());
    let xlsx = as_xlsx(&lines[..50]);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "missing.csv",
            b"hs,origin,incoterm,date,quantity,unit,currency\n070320,CN,FOB,2026-01-01,1,KGM,USD\n"
                .to_vec(),
            "error=missing_column&detail=price",
        ),
        (
            "extra.csv",
            [b"colour,".as_slice(), &good].concat(),
            "error=unknown_column&detail=colour",
        ),
        (
            "scan.pdf",
            b"%PDF-1.7\n1 0 obj\n".to_vec(),
            "error=not_a_table",
        ),
        ("truncated.xlsx", xlsx[..xlsx.len() / 2].to_vec(), "error="),
        (
            "latin1.csv",
            [
                good.as_slice(),
                b"070320,CN,FOB,2026-01-01,1,KGM,USD,caf\xe9,,,no,\n",
            ]
            .concat(),
            "error=unreadable&detail=5",
        ),
        (
            "header-only.csv",
            HEADER.join(",").into_bytes(),
            "error=empty",
        ),
        ("huge.csv", too_many, "error=too_many_lines&detail=10001"),
        ("nothing.csv", Vec::new(), "error=no_file"),
    ];
    for (name, bytes, expected) in cases {
        let response = upload(&app, &cookie, name, bytes).await;
        let to = location(&response);
        assert!(
            to.starts_with("/check/batch?") && to.contains(expected),
            "{name}: {to}"
        );
        let page = app.text_with_cookie(&to, &cookie).await;
        assert!(
            page.contains("id=\"file-error\""),
            "{name}: the page says why"
        );
    }
    assert_eq!(batch_count(&app).await, before, "nothing saved");

    // Only signed-in traders, from this site.
    let response = app
        .upload(
            "/check/batch/upload",
            None,
            invoice_file("a.csv", good.clone()),
        )
        .await;
    assert_eq!(location(&response), "/sign-in");
    let officer = app.sign_in_demo("olga.oficial@sunat.demo").await;
    assert_eq!(
        upload(&app, &officer, "a.csv", good.clone()).await.status(),
        403
    );
    let cross_site = app
        .client
        .post(app.url("/check/batch/upload"))
        .header("origin", "https://evil.example")
        .header("cookie", &cookie)
        .multipart(invoice_file("a.csv", good.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), 403);
    assert_eq!(batch_count(&app).await, before);

    // And a good file is saved whole.
    location(&upload(&app, &cookie, "good.csv", good).await);
    assert_eq!(batch_count(&app).await, (before.0 + 1, before.1 + 3));

    // A workbook with a stray cell in its last column and row: read cell by cell, the far
    // column is ignored (no grid of 17 billion cells), and the lines are the three written.
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (row, line) in std::iter::once(HEADER.map(String::from))
        .chain(lines[..3].iter().cloned())
        .enumerate()
    {
        for (col, value) in line.iter().enumerate() {
            sheet.write_string(row as u32, col as u16, value).unwrap();
        }
    }
    sheet.write_string(1_048_575, 16_383, "far away").unwrap();
    let to = location(&upload(&app, &cookie, "stray.xlsx", book.save_to_buffer().unwrap()).await);
    let page = app.text_with_cookie(&to, &cookie).await;
    assert!(page.contains("id=\"line-count\">3<"), "{to}");

    // Answers that look like spreadsheet formulas come back inert in the results.
    let formula = format!(
        "{}\n{}",
        HEADER.join(","),
        lines[0].join(",").replacen(&lines[0][0], "=1+1", 1)
    );
    let to = location(&upload(&app, &cookie, "formula.csv", formula.into_bytes()).await);
    let results = app
        .text_with_cookie(&format!("{to}/results.csv"), &cookie)
        .await;
    assert!(
        results.lines().nth(1).unwrap().starts_with("2,'=1+1,"),
        "{results}"
    );
}

#[tokio::test]
async fn an_organisation_checks_at_most_its_daily_quota_of_batch_files() {
    let app = TestApp::spawn_configured(|c| {
        c.demo = true;
        c.quotas.batches_per_day = 1;
    })
    .await;
    let cookie = app
        .sign_in_demo("carlos.cumplimiento@importadora.demo")
        .await;
    let lines = invoice_lines(&app).await;
    let first = upload(&app, &cookie, "lote.csv", as_csv(&lines)).await;
    assert!(first.status().is_redirection(), "{}", first.status());
    let second = upload(&app, &cookie, "lote.csv", as_csv(&lines)).await;
    assert_eq!(second.status(), 429);
    let wait: u64 = second.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait > 23 * 3600, "about a day: {wait}");
    assert!(second.text().await.unwrap().contains("cupo diario (1)"));
    assert_eq!(batch_count(&app).await.0, 1, "nothing more was saved");
}
