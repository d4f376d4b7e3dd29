//! Guidance bands: computation from declaration records, review and publication, public lookup.

#[cfg(feature = "ssr")]
pub mod compute;
