//! Streams a declaration-record CSV into PostgreSQL: a blocking thread reads and checks each line
//! and encodes the good ones as COPY text; the async side sends the chunks into
//! `COPY ... FROM STDIN` inside one transaction. A file with errors imports nothing (unless the
//! caller asks to skip bad lines); memory stays flat whatever the file's size.

use std::fmt::Write as _;
use std::io::Read;

use sqlx::PgPool;
use tokio::sync::mpsc;
use uuid::Uuid;

use super::repo;
use crate::domain::csv_rows::{self, LineError};
use crate::domain::records::{DeclarationRecord, HEADER, RecordReference, parse_record};

/// Errors kept for the report; the rest are only counted.
pub const MAX_REPORTED_ERRORS: usize = 1000;
const CHUNK_BYTES: usize = 1 << 20;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordImport {
    /// The batch the records were stored under; `None` when nothing was imported.
    pub batch_id: Option<i64>,
    pub imported: u64,
    /// The first [`MAX_REPORTED_ERRORS`] problems, by line.
    pub errors: Vec<LineError>,
    pub error_count: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum RecordImportError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("reading the file: {0}")]
    Read(String),
}

struct Checked {
    errors: Vec<LineError>,
    error_count: u64,
    good: u64,
}

pub async fn import_records<R: Read + Send + 'static>(
    pool: &PgPool,
    input: R,
    source: &str,
    imported_by: Option<Uuid>,
    skip_bad_lines: bool,
    reference: RecordReference,
) -> Result<RecordImport, RecordImportError> {
    let mut tx = pool.begin().await?;
    let batch_id = repo::insert_batch(&mut *tx, source, imported_by).await?;
    let (sender, mut chunks) = mpsc::channel::<Vec<u8>>(4);
    let checker = tokio::task::spawn_blocking(move || {
        check_and_encode(input, &reference, batch_id, skip_bad_lines, sender)
    });
    let mut copy = repo::copy_records(&mut tx).await?;
    let mut sent = Ok(());
    while let Some(chunk) = chunks.recv().await {
        if sent.is_ok() {
            sent = copy.send(chunk).await.map(drop);
        }
    }
    let checked = checker
        .await
        .map_err(|e| RecordImportError::Read(e.to_string()))?;
    let checked = match checked {
        Ok(checked) => checked,
        Err(e) => {
            copy.abort("the file could not be read").await.ok();
            return Err(e);
        }
    };
    if let Err(e) = sent {
        copy.abort("sending failed").await.ok();
        return Err(e.into());
    }
    if checked.error_count > 0 && !skip_bad_lines {
        copy.abort("the file has errors").await.ok();
        tx.rollback().await.ok();
        return Ok(RecordImport {
            batch_id: None,
            imported: 0,
            errors: checked.errors,
            error_count: checked.error_count,
        });
    }
    let imported = copy.finish().await?;
    debug_assert_eq!(imported, checked.good);
    repo::set_batch_records(&mut *tx, batch_id, imported as i64).await?;
    tx.commit().await?;
    Ok(RecordImport {
        batch_id: Some(batch_id),
        imported,
        errors: checked.errors,
        error_count: checked.error_count,
    })
}

/// Runs on a blocking thread. Stops sending once an error is found in all-or-nothing mode (the
/// import will be refused) but reads on, to report every problem.
fn check_and_encode<R: Read>(
    input: R,
    reference: &RecordReference,
    batch_id: i64,
    skip_bad_lines: bool,
    sender: mpsc::Sender<Vec<u8>>,
) -> Result<Checked, RecordImportError> {
    let mut checked = Checked {
        errors: Vec::new(),
        error_count: 0,
        good: 0,
    };
    let fail = |checked: &mut Checked, error: LineError| {
        checked.error_count += 1;
        if checked.errors.len() < MAX_REPORTED_ERRORS {
            checked.errors.push(error);
        }
    };
    let mut rows = match csv_rows::open(input, &HEADER) {
        Ok(rows) => rows,
        Err(e) => {
            fail(&mut checked, e);
            return Ok(checked);
        }
    };
    let mut chunk = String::with_capacity(CHUNK_BYTES + 4096);
    let mut sending = true;
    while let Some(next) = rows.next_record() {
        let (line, record) = match next {
            Ok(found) => found,
            Err(e) => {
                fail(&mut checked, e);
                sending &= skip_bad_lines;
                continue;
            }
        };
        let fields: [&str; 8] = std::array::from_fn(|i| csv_rows::field(record, i));
        match parse_record(fields, reference) {
            Ok(parsed) => {
                checked.good += 1;
                if sending {
                    encode(&mut chunk, batch_id, line, &parsed);
                }
            }
            Err(message) => {
                fail(&mut checked, LineError::new(line, message));
                sending &= skip_bad_lines;
            }
        }
        if sending && chunk.len() >= CHUNK_BYTES {
            let full = std::mem::replace(&mut chunk, String::with_capacity(CHUNK_BYTES + 4096));
            if sender.blocking_send(full.into_bytes()).is_err() {
                sending = false;
            }
        }
    }
    if sending && !chunk.is_empty() {
        sender.blocking_send(chunk.into_bytes()).ok();
    }
    Ok(checked)
}

/// One COPY text-format row. Every field was checked to hold no tab, newline or backslash.
fn encode(out: &mut String, batch_id: i64, line: u64, r: &DeclarationRecord) {
    let _ = writeln!(
        out,
        "{batch_id}\t{line}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
        r.declared_on,
        r.tariff_code,
        r.origin,
        r.incoterm.code(),
        r.quantity,
        r.unit,
        r.customs_value,
        r.currency,
        r.value_base,
        r.band_unit,
        r.unit_value
    );
}
