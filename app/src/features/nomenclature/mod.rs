//! The tariff nomenclature: loading it from the HS CSV format (server command now; the
//! administrator's page comes with the bands work).

#[cfg(feature = "ssr")]
pub mod import;
