//! Reference data: the tariff nomenclature and its Spanish/English texts, countries, currencies,
//! units of quantity and exchange rates. Importers check every line and load all or nothing
//! (unless asked to skip bad lines); the administrator runs them from the command line or the
//! reference-data page.

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

pub mod pages;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::csv_rows::LineError;
use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportOutcome {
    Imported {
        rows: usize,
        skipped: Vec<LineError>,
    },
    Refused {
        errors: Vec<LineError>,
    },
}

/// What a reference file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReferenceKind {
    Nomenclature,
    TariffTexts,
    Countries,
    Currencies,
    Units,
    ExchangeRates,
}

impl ReferenceKind {
    pub const ALL: [ReferenceKind; 6] = [
        ReferenceKind::Nomenclature,
        ReferenceKind::TariffTexts,
        ReferenceKind::Countries,
        ReferenceKind::Currencies,
        ReferenceKind::Units,
        ReferenceKind::ExchangeRates,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReferenceKind::Nomenclature => "hs",
            ReferenceKind::TariffTexts => "tariff-texts",
            ReferenceKind::Countries => "countries",
            ReferenceKind::Currencies => "currencies",
            ReferenceKind::Units => "units",
            ReferenceKind::ExchangeRates => "exchange-rates",
        }
    }

    pub fn parse(code: &str) -> Option<ReferenceKind> {
        ReferenceKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// What the administrator's upload form accepts: a reference file or declaration records.
pub const UPLOAD_KINDS: [&str; 7] = [
    "hs",
    "tariff-texts",
    "countries",
    "currencies",
    "units",
    "exchange-rates",
    "records",
];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReportView {
    pub kind: String,
    pub file_name: String,
    pub imported: bool,
    pub rows_loaded: i64,
    pub error_count: i64,
    pub errors: Vec<LineError>,
    pub imported_at: String,
}

/// Checks the caller may import reference data and returns the report asked for, if any.
#[server(prefix = "/api", endpoint = "import-report", input = server_fn::codec::GetUrl)]
pub async fn import_report(id: Option<String>) -> Result<Option<ImportReportView>, AppError> {
    use crate::server::caller::signed_in;
    use crate::server::context::pool;
    signed_in(crate::policy::Action::ManageReferenceData)?;
    let Some(id) = id.and_then(|id| uuid::Uuid::parse_str(&id).ok()) else {
        return Ok(None);
    };
    Ok(repo::find(&pool()?, id).await?)
}
