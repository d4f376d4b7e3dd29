//! Built-in reference data, loaded at start-up into the tables that are still empty.
//!
//! The files in `server/reference-data/` (sources and licences in its README) are compiled into
//! the binary: the full HS 2022 nomenclature, the ISO 3166 countries, the ISO 4217 currencies and
//! the UN/ECE Recommendation 20 units. On start (`VALORA_BUILTIN_REFERENCE`, on by default) each
//! kind whose table holds no row is loaded through the same importer as an administrator's file,
//! in that importer's one transaction; a table that already holds rows is left as it is, so a
//! second start imports nothing and an administrator's own files are never overwritten. Two
//! servers starting at once on an empty database may both load a kind: the importers upsert, so
//! the result is the same.

use app::features::reference::{ImportOutcome, ReferenceKind, service::import_file};
use sqlx::PgPool;

/// One built-in file: what it holds, the table it fills and its bytes.
pub struct BuiltinFile {
    pub kind: ReferenceKind,
    pub table: &'static str,
    pub bytes: &'static [u8],
}

/// The built-in files, in the order they load.
pub const FILES: [BuiltinFile; 4] = [
    BuiltinFile {
        kind: ReferenceKind::Nomenclature,
        table: "tariff_lines",
        bytes: include_bytes!("../reference-data/hs2022.csv"),
    },
    BuiltinFile {
        kind: ReferenceKind::Countries,
        table: "countries",
        bytes: include_bytes!("../reference-data/countries.csv"),
    },
    BuiltinFile {
        kind: ReferenceKind::Currencies,
        table: "currencies",
        bytes: include_bytes!("../reference-data/currencies.csv"),
    },
    BuiltinFile {
        kind: ReferenceKind::Units,
        table: "units",
        bytes: include_bytes!("../reference-data/unece-units-of-measure.csv"),
    },
];

/// Loads every built-in file whose table is empty; returns the kinds loaded and their rows.
/// `base_currency` is the deployment's (the importers want it; no built-in file holds rates).
pub async fn load_builtin(
    pool: &PgPool,
    base_currency: &str,
) -> Result<Vec<(ReferenceKind, usize)>, String> {
    let mut loaded = Vec::new();
    for file in FILES {
        let code = file.kind.code();
        let present: bool =
            sqlx::query_scalar(&format!("SELECT EXISTS (SELECT 1 FROM {})", file.table))
                .fetch_one(pool)
                .await
                .map_err(|e| format!("built-in {code} data: {e}"))?;
        if present {
            tracing::debug!(
                kind = code,
                table = file.table,
                "built-in reference data not loaded: the table already holds rows"
            );
            continue;
        }
        match import_file(pool, file.kind, file.bytes, false, base_currency).await {
            Ok(ImportOutcome::Imported { rows, .. }) => {
                tracing::info!(kind = code, rows, "built-in reference data loaded");
                loaded.push((file.kind, rows));
            }
            Ok(ImportOutcome::Refused { errors }) => {
                return Err(format!("the built-in {code} file was refused: {errors:?}"));
            }
            Err(e) => return Err(format!("loading the built-in {code} file: {e}")),
        }
    }
    Ok(loaded)
}
