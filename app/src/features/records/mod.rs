//! Historical declaration records, the raw material of bands: imported from CSV by COPY.

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
