//! Reference data: the tariff nomenclature and its Spanish/English texts, countries, currencies,
//! units of quantity and exchange rates. Importers check every line and load all or nothing
//! (unless asked to skip bad lines); the administrator runs them from the command line or the
//! reference-data page.

#[cfg(feature = "ssr")]
pub mod hs;
#[cfg(feature = "ssr")]
pub mod import;
#[cfg(feature = "ssr")]
pub mod search_text;

use serde::{Deserialize, Serialize};

use crate::domain::csv_rows::LineError;

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
