//! Loading reference files: each importer parses a file, then loads it in one transaction, all
//! or nothing unless the caller asks to skip the bad lines (then the good ones load and the bad
//! ones are reported). And the administrator's upload: a reference file or declaration records
//! through the same importers as the command line, stored as an import report, and audited.

use std::collections::HashSet;

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::repo::{self, NewReport};
use super::{ImportOutcome, ReferenceKind};
use crate::domain::csv_rows::{LineError, Parsed};
use crate::domain::nomenclature::{self, TariffLine};
use crate::domain::reference::{
    TariffText, parse_countries, parse_currencies, parse_rates, parse_tariff_texts, parse_units,
};
use crate::domain::search::normalize;
use crate::error::AppError;
use crate::features::records::repo::load_reference;
use crate::features::records::service::{MAX_REPORTED_ERRORS, import_records};
use crate::policy::{Action, Decision, decide};
use crate::server::audit::{self, AuditEvent};
use crate::server::sessions::Session;
use crate::server::settings::BandSettings;

/// What an upload holds: one kind of reference file, or declaration records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UploadKind {
    Reference(ReferenceKind),
    Records,
}

impl UploadKind {
    /// The kind the form names by one of [`super::UPLOAD_KINDS`].
    pub fn parse(code: &str) -> Option<UploadKind> {
        match code {
            "records" => Some(UploadKind::Records),
            other => ReferenceKind::parse(other).map(UploadKind::Reference),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            UploadKind::Reference(kind) => kind.code(),
            UploadKind::Records => "records",
        }
    }
}

/// The upload form, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upload {
    pub kind: UploadKind,
    /// Load the good lines and report the bad ones, instead of loading nothing.
    pub skip_bad_lines: bool,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// The caller, if they may import reference data (asked before the upload is read).
pub fn importer(session: Option<&Session>) -> Result<&Session, AppError> {
    let session = session.ok_or(AppError::Unauthenticated)?;
    match decide(Some(&session.actor), Action::ManageReferenceData) {
        Decision::Allow => Ok(session),
        Decision::Deny => Err(AppError::Forbidden),
    }
}

/// Imports `upload` for `importer` (see [`importer`]), stores the report and returns its id.
/// A file refused for its lines is a report too; only a failure of the service is an error.
pub async fn import_upload(
    pool: &PgPool,
    settings: &BandSettings,
    importer: &Session,
    client_addr: &str,
    upload: Upload,
) -> Result<Uuid, AppError> {
    let Upload {
        kind,
        skip_bad_lines,
        file_name,
        bytes,
    } = upload;
    let base = &settings.base_currency;
    let (imported, rows_loaded, error_count, mut errors) = match kind {
        UploadKind::Records => {
            let reference = load_reference(pool, base, settings.rate_max_age_days).await?;
            let report = import_records(
                pool,
                std::io::Cursor::new(bytes),
                &file_name,
                Some(importer.actor.user_id),
                skip_bad_lines,
                reference,
            )
            .await
            .map_err(AppError::internal)?;
            (
                report.batch_id.is_some(),
                report.imported as i64,
                report.error_count,
                report.errors,
            )
        }
        UploadKind::Reference(kind) => {
            match import_file(pool, kind, &bytes, skip_bad_lines, base).await? {
                ImportOutcome::Imported { rows, skipped } => {
                    (true, rows as i64, skipped.len() as u64, skipped)
                }
                ImportOutcome::Refused { errors } => (false, 0, errors.len() as u64, errors),
            }
        }
    };
    errors.truncate(MAX_REPORTED_ERRORS);
    let report = NewReport {
        kind: kind.code(),
        file_name: &file_name,
        imported_by: importer.actor.user_id,
        imported,
        rows_loaded,
        error_count: error_count as i64,
        errors: &errors,
    };
    // The report and its audit record stand or fall together.
    let mut tx = pool.begin().await?;
    let id = repo::insert(&mut *tx, report).await?;
    let event = AuditEvent::new("reference.import", client_addr)
        .actor(Some(importer.actor.user_id))
        .subject(format!("{} {file_name}", kind.code()))
        .detail(serde_json::json!({
            "imported": imported, "rows": rows_loaded, "errors": error_count
        }));
    audit::record(&mut *tx, event).await?;
    tx.commit().await?;
    Ok(id)
}

/// Parses and loads one file of `kind`. `base_currency` is the deployment's (rates are quoted
/// against it).
pub async fn import_file(
    pool: &PgPool,
    kind: ReferenceKind,
    bytes: &[u8],
    skip_bad_lines: bool,
    base_currency: &str,
) -> Result<ImportOutcome, sqlx::Error> {
    match kind {
        ReferenceKind::Nomenclature => {
            import_hs(pool, nomenclature::parse_hs_csv(bytes), skip_bad_lines).await
        }
        ReferenceKind::TariffTexts => {
            import_tariff_texts(pool, parse_tariff_texts(bytes), skip_bad_lines).await
        }
        ReferenceKind::Countries => {
            load(
                pool,
                parse_countries(bytes),
                skip_bad_lines,
                |conn, rows| Box::pin(repo::upsert_countries(conn, rows)),
            )
            .await
        }
        ReferenceKind::Currencies => {
            load(
                pool,
                parse_currencies(bytes),
                skip_bad_lines,
                |conn, rows| Box::pin(repo::upsert_currencies(conn, rows)),
            )
            .await
        }
        ReferenceKind::Units => {
            load(pool, parse_units(bytes), skip_bad_lines, |conn, rows| {
                Box::pin(repo::upsert_units(conn, rows))
            })
            .await
        }
        ReferenceKind::ExchangeRates => {
            let known: HashSet<String> = repo::currency_codes(pool).await?.into_iter().collect();
            let parsed = parse_rates(bytes, base_currency, |c| known.contains(c));
            load(pool, parsed, skip_bad_lines, |conn, rows| {
                Box::pin(repo::upsert_rates(conn, rows))
            })
            .await
        }
    }
}

type Write<'c> = std::pin::Pin<Box<dyn Future<Output = Result<(), sqlx::Error>> + Send + 'c>>;

/// Refuses a file with errors (unless skipping), else writes its good rows in one transaction.
async fn load<T: Send + Sync>(
    pool: &PgPool,
    parsed: Parsed<T>,
    skip_bad_lines: bool,
    write: impl for<'c> FnOnce(&'c mut PgConnection, &'c [T]) -> Write<'c>,
) -> Result<ImportOutcome, sqlx::Error> {
    if !parsed.errors.is_empty() && !skip_bad_lines {
        return Ok(ImportOutcome::Refused {
            errors: parsed.errors,
        });
    }
    let mut tx = pool.begin().await?;
    if !parsed.rows.is_empty() {
        write(&mut tx, &parsed.rows).await?;
    }
    tx.commit().await?;
    Ok(ImportOutcome::Imported {
        rows: parsed.rows.len(),
        skipped: parsed.errors,
    })
}

/// Loads parsed HS lines in one transaction, parents first: all or nothing, unless the caller
/// asks to skip the bad lines.
pub async fn import_hs(
    pool: &PgPool,
    parsed: nomenclature::Parsed,
    skip_bad_lines: bool,
) -> Result<ImportOutcome, sqlx::Error> {
    if !parsed.errors.is_empty() && !skip_bad_lines {
        return Ok(ImportOutcome::Refused {
            errors: parsed.errors,
        });
    }
    let mut lines: Vec<TariffLine> = parsed.lines;
    // Parents first, so every reference exists when its child arrives.
    lines.sort_by(|a, b| (a.code.len(), &a.code).cmp(&(b.code.len(), &b.code)));
    let mut tx = pool.begin().await?;
    for level in [2, 4, 6, 8, 10] {
        let batch: Vec<&TariffLine> = lines.iter().filter(|l| l.code.len() == level).collect();
        if !batch.is_empty() {
            repo::upsert_hs_lines(&mut tx, &batch).await?;
        }
    }
    refresh_search_text(&mut tx).await?;
    tx.commit().await?;
    Ok(ImportOutcome::Imported {
        rows: lines.len(),
        skipped: parsed.errors,
    })
}

/// Descriptions of HS lines already loaded, and national 8/10-digit lines placed under the
/// longest code that exists (in the table or earlier in this file).
async fn import_tariff_texts(
    pool: &PgPool,
    mut parsed: Parsed<TariffText>,
    skip_bad_lines: bool,
) -> Result<ImportOutcome, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let mut known: HashSet<String> = repo::tariff_codes(&mut *tx).await?.into_iter().collect();
    let mut placed: Vec<(TariffText, Option<String>)> = Vec::new();
    for text in parsed.rows.drain(..) {
        if text.code.len() <= 6 {
            if known.contains(&text.code) {
                placed.push((text, None));
            } else {
                parsed.errors.push(LineError::new(
                    text.line,
                    format!(
                        "{} is not in the nomenclature: import the HS file first",
                        text.code
                    ),
                ));
            }
            continue;
        }
        let parent = [text.code.len() - 2, 6]
            .into_iter()
            .map(|len| text.code[..len].to_string())
            .find(|prefix| known.contains(prefix));
        match parent {
            Some(parent) => {
                known.insert(text.code.clone());
                placed.push((text, Some(parent)));
            }
            None => parsed.errors.push(LineError::new(
                text.line,
                format!(
                    "{} has no HS subheading {} to belong to",
                    text.code,
                    &text.code[..6]
                ),
            )),
        }
    }
    parsed.errors.sort_by_key(|e| e.line);
    if !parsed.errors.is_empty() && !skip_bad_lines {
        return Ok(ImportOutcome::Refused {
            errors: parsed.errors,
        });
    }
    let hs: Vec<&TariffText> = placed
        .iter()
        .filter(|(_, p)| p.is_none())
        .map(|(t, _)| t)
        .collect();
    repo::update_hs_texts(&mut tx, &hs).await?;
    // Eight digits before ten, so a ten-digit line can hang under an eight-digit one.
    for len in [8, 10] {
        let batch: Vec<(&TariffText, &str)> = placed
            .iter()
            .filter_map(|(t, p)| Some((t, p.as_deref()?)))
            .filter(|(t, _)| t.code.len() == len)
            .collect();
        repo::upsert_national_lines(&mut tx, &batch).await?;
    }
    refresh_search_text(&mut tx).await?;
    tx.commit().await?;
    Ok(ImportOutcome::Imported {
        rows: placed.len(),
        skipped: parsed.errors,
    })
}

/// Keeps `tariff_lines.search_text` (code and both descriptions, normalised) in step with the
/// descriptions. Normalising in Rust spares PostgreSQL the `unaccent` extension, which a
/// managed database may not allow.
pub async fn refresh_search_text(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    let (codes, texts): (Vec<String>, Vec<String>) = repo::tariff_texts(&mut *conn)
        .await?
        .into_iter()
        .map(|(code, es, en)| {
            let text = normalize(&format!(
                "{code} {} {}",
                es.unwrap_or_default(),
                en.unwrap_or_default()
            ));
            (code, text)
        })
        .unzip();
    repo::set_search_texts(conn, &codes, &texts).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_the_form_offers_is_read_back_by_its_code() {
        for code in super::super::UPLOAD_KINDS {
            assert_eq!(UploadKind::parse(code).map(UploadKind::code), Some(code));
        }
        assert_eq!(UploadKind::parse("pictures"), None);
    }
}
