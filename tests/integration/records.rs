//! Declaration-record imports: bad files get line-numbered errors and leave the database as
//! it was, a 200 MB file with one bad line included.

use std::io::Read;

use app::features::records::repo::load_reference;
use app::features::records::service::{RecordImport, import_records};
use app::features::reference::{ReferenceKind, service::import_file};
use valora_tests::{TestApp, baci_flows, import_fixture_reference, records_csv};

const HEADER: &str =
    "declared_on,tariff_code,origin,incoterm,quantity,unit,customs_value,currency\n";
const GOOD: &str = "2020-07-01,070320,CN,CIF,12.5,KGM,1234.56,USD\n";

async fn record_count(app: &TestApp) -> (i64, i64) {
    app.count_pair(
        "SELECT (SELECT count(*) FROM declaration_records), (SELECT count(*) FROM record_batches)",
    )
    .await
}

async fn import(app: &TestApp, input: impl Read + Send + 'static) -> RecordImport {
    let reference = load_reference(&app.pool, "USD", 7).await.unwrap();
    import_records(&app.pool, input, "test", None, false, reference)
        .await
        .unwrap()
}

fn lines(report: &RecordImport) -> Vec<u64> {
    report.errors.iter().map(|e| e.line).collect()
}

#[tokio::test]
async fn bad_record_files_are_refused_by_line_and_change_nothing() {
    let app = TestApp::spawn().await;
    import_fixture_reference(&app.pool).await;
    let euro = "code,numeric,minor_units,name_en,name_es\nEUR,978,2,Euro,Euro\n";
    import_file(
        &app.pool,
        ReferenceKind::Currencies,
        euro.as_bytes(),
        false,
        "USD",
    )
    .await
    .unwrap();

    let wrong_columns = "date,code,origin,incoterm,qty,unit,value,currency\n".to_string() + GOOD;
    let report = import(&app, std::io::Cursor::new(wrong_columns)).await;
    assert_eq!(lines(&report), vec![1]);
    assert!(report.errors[0].message.contains("expected the columns"));

    let mixed = format!(
        "{HEADER}{GOOD}\
         2020-07-01,07A320,CN,CIF,1,KGM,10,USD\n\
         2020-07-01,0703,CN,CIF,1,KGM,10,USD\n\
         2020-07-01,070320,CN,CIF,0,KGM,10,USD\n\
         2020-07-01,070320,CN,CIF,-3,KGM,10,USD\n\
         2020-07-01,070320,CN,CIF,1,KGM,10,XYZ\n\
         2020-07-01,070320,ZZ,CIF,1,KGM,10,USD\n\
         2020-07-01,070320,CN,CIF,1,SEC,10,USD\n\
         2020-07-01,070320,CN,CIF,1,KGM,10,EUR\n\
         2020-02-30,070320,CN,CIF,1,KGM,10,USD\n\
         2020-07-01,070320,CN,CIF,1,KGM\n{GOOD}"
    );
    let report = import(&app, std::io::Cursor::new(mixed)).await;
    assert_eq!(
        lines(&report),
        (3..=12).collect::<Vec<u64>>(),
        "{:?}",
        report.errors
    );
    let messages: Vec<&str> = report.errors.iter().map(|e| e.message.as_str()).collect();
    for (message, expected) in messages.iter().zip([
        "tariff code",
        "tariff code",
        "more than zero",
        "more than zero",
        "currency \"XYZ\" is unknown",
        "origin",
        "cannot be converted",
        "no official EUR rate",
        "date",
        "expected 8 fields",
    ]) {
        assert!(message.contains(expected), "{message} / {expected}");
    }
    assert_eq!(report.batch_id, None);

    // A truncated file: the last line stops in the middle.
    let full = records_csv(&baci_flows()[..500]);
    let cut = full[..full.len() - 20].to_string();
    let report = import(&app, std::io::Cursor::new(cut)).await;
    assert_eq!(lines(&report), vec![501], "{:?}", report.errors);
    assert_eq!(record_count(&app).await, (0, 0), "nothing was imported");

    // Skipping bad lines imports the good ones only, and says which were left out.
    let reference = load_reference(&app.pool, "USD", 7).await.unwrap();
    let mixed = format!("{HEADER}{GOOD}2020-07-01,070320,CN,CIF,0,KGM,10,USD\n{GOOD}");
    let report = import_records(
        &app.pool,
        std::io::Cursor::new(mixed),
        "t",
        None,
        true,
        reference,
    )
    .await
    .unwrap();
    assert_eq!((report.imported, lines(&report)), (2, vec![3]));
    assert_eq!(record_count(&app).await, (2, 1));
}

/// A 200 MB record file, generated as it is read, with one bad line near its end.
struct BigFile {
    lines: u64,
    bad_line: u64,
    written: u64,
    pending: Vec<u8>,
}

impl Read for BigFile {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pending.len() < buf.len() && self.written < self.lines {
            self.written += 1;
            let line = self.written + 1; // the header is line 1
            let row = if self.written == 1 {
                HEADER.to_string()
            } else if line - 1 == self.bad_line {
                "2020-07-01,070320,CN,CIF,-1,KGM,1234.56,USD\n".to_string()
            } else {
                GOOD.to_string()
            };
            self.pending.extend_from_slice(row.as_bytes());
        }
        let n = buf.len().min(self.pending.len());
        buf[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        Ok(n)
    }
}

#[tokio::test]
async fn a_200_mb_file_with_one_bad_line_imports_nothing() {
    let app = TestApp::spawn().await;
    import_fixture_reference(&app.pool).await;
    let lines_in_file = 200 * 1024 * 1024 / GOOD.len() as u64 + 1;
    let bad_line = lines_in_file - 10;
    let file = BigFile {
        lines: lines_in_file,
        bad_line,
        written: 0,
        pending: Vec::new(),
    };
    let report = import(&app, file).await;
    assert_eq!(lines(&report), vec![bad_line]);
    assert_eq!(report.error_count, 1);
    assert_eq!(record_count(&app).await, (0, 0));
}
