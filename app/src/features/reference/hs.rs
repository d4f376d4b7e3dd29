//! Loads parsed HS lines in one transaction: all or nothing. A file with errors imports nothing
//! unless the caller asks to skip the bad lines.

use sqlx::PgPool;

use super::ImportOutcome;
use super::search_text::refresh_search_text;
use crate::domain::nomenclature::{Parsed, TariffLine};

pub async fn import_hs(
    pool: &PgPool,
    parsed: Parsed,
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
        if batch.is_empty() {
            continue;
        }
        let codes: Vec<&str> = batch.iter().map(|l| l.code.as_str()).collect();
        let parents: Vec<Option<&str>> = batch.iter().map(|l| l.parent.as_deref()).collect();
        let sections: Vec<&str> = batch.iter().map(|l| l.section.as_str()).collect();
        let descriptions: Vec<&str> = batch.iter().map(|l| l.description.as_str()).collect();
        sqlx::query(
            "INSERT INTO tariff_lines (code, parent, section, description_en)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
             ON CONFLICT (code) DO UPDATE SET parent = excluded.parent, section = excluded.section,
                 description_en = excluded.description_en, updated_at = now()",
        )
        .bind(&codes)
        .bind(&parents)
        .bind(&sections)
        .bind(&descriptions)
        .execute(&mut *tx)
        .await?;
    }
    refresh_search_text(&mut tx).await?;
    tx.commit().await?;
    Ok(ImportOutcome::Imported {
        rows: lines.len(),
        skipped: parsed.errors,
    })
}
