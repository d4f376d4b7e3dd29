//! The reference importers. The HS 2022 importer on the real file: every line loads, a second
//! import updates in place, and a file with errors (or cut short) imports nothing unless bad
//! lines are skipped. Bad country, unit and exchange-rate files are refused by line and leave
//! the tables unchanged.

use app::domain::nomenclature::parse_hs_csv;
use app::features::reference::{
    ImportOutcome, ReferenceKind,
    service::{import_file, import_hs},
};
use valora_tests::{TestApp, fixture, import_fixture_reference};

async fn count(app: &TestApp) -> i64 {
    app.count("SELECT count(*) FROM tariff_lines").await
}

#[tokio::test]
async fn the_hs_2022_file_imports_without_error() {
    let app = TestApp::spawn().await;
    let bytes = std::fs::read(fixture("hs2022.csv")).unwrap();
    let parsed = parse_hs_csv(&bytes);
    assert_eq!(parsed.errors, vec![]);
    let ImportOutcome::Imported {
        rows: lines,
        skipped,
    } = import_hs(&app.pool, parsed, false).await.unwrap()
    else {
        panic!("refused")
    };
    assert_eq!(
        (lines, skipped.len()),
        (6_939, 0),
        "every row but the root marker"
    );
    assert_eq!(count(&app).await, 6_939);
    let (parent, description): (String, String) =
        sqlx::query_as("SELECT parent, description_en FROM tariff_lines WHERE code = '010121'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(parent, "0101");
    assert_eq!(description, "Horses; live, pure-bred breeding animals");
    // Importing again updates in place.
    import_hs(&app.pool, parse_hs_csv(&bytes), false)
        .await
        .unwrap();
    assert_eq!(count(&app).await, 6_939);
}

#[tokio::test]
async fn a_file_with_errors_imports_nothing_unless_bad_lines_are_skipped() {
    let app = TestApp::spawn().await;
    let input = "section,hscode,description,parent,level\nI,01,Animals; live,TOTAL,2\nI,0101,Horses,01,4\nI,01X2,Bad,01,4\n";
    let ImportOutcome::Refused { errors } =
        import_hs(&app.pool, parse_hs_csv(input.as_bytes()), false)
            .await
            .unwrap()
    else {
        panic!("must refuse")
    };
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 4);
    assert_eq!(count(&app).await, 0, "the database is unchanged");

    let truncated = &std::fs::read(fixture("hs2022.csv")).unwrap()[..100_003];
    let parsed = parse_hs_csv(truncated);
    assert!(
        !parsed.errors.is_empty(),
        "a file cut in the middle of a line is reported"
    );
    assert!(matches!(
        import_hs(&app.pool, parsed, false).await.unwrap(),
        ImportOutcome::Refused { .. }
    ));
    assert_eq!(count(&app).await, 0);

    let ImportOutcome::Imported {
        rows: lines,
        skipped,
    } = import_hs(&app.pool, parse_hs_csv(input.as_bytes()), true)
        .await
        .unwrap()
    else {
        panic!("must import the good lines")
    };
    assert_eq!((lines, skipped.len()), (2, 1));
    assert_eq!(count(&app).await, 2);
}

#[tokio::test]
async fn bad_reference_files_are_refused_and_leave_the_tables_unchanged() {
    let app = TestApp::spawn().await;
    import_fixture_reference(&app.pool).await;
    let snapshot = || async {
        let row: (i64, i64, String) = sqlx::query_as(
            "SELECT (SELECT count(*) FROM countries), (SELECT count(*) FROM units),
                    (SELECT name_es FROM countries WHERE alpha2 = 'PE')",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap();
        row
    };
    let before = snapshot().await;
    let cases: [(ReferenceKind, &str, Vec<u64>); 4] = [
        (
            ReferenceKind::Countries,
            "alpha2,alpha3,name\nPE,PER,Peru\n",
            vec![1],
        ),
        (
            ReferenceKind::Countries,
            "alpha2,alpha3,numeric,name_en,name_es,currency\nPE,PER,604,Peru,Perú (cambiado),PEN\nQQ,QQQ,999,Q,Q,QQQ\n",
            vec![3],
        ),
        (
            ReferenceKind::Units,
            "Status,CommonCode,Name,Description,LevelAndCategory,Symbol,ConversionFactor\n,KGM,kilo,,1,kg,kg\n,TOOLONG,x,,1,,\n",
            vec![3],
        ),
        (
            ReferenceKind::ExchangeRates,
            "date,currency,units_per_base\n2026-01-05,XYZ,3.7\n",
            vec![2],
        ),
    ];
    for (kind, file, expected) in cases {
        match import_file(&app.pool, kind, file.as_bytes(), false, "USD")
            .await
            .unwrap()
        {
            ImportOutcome::Refused { errors } => {
                assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), expected)
            }
            other => panic!("{kind:?} accepted: {other:?}"),
        }
    }
    assert_eq!(snapshot().await, before);
}
