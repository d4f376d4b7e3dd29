//! Pure domain logic shared by the browser (WASM) and the server: no I/O, no framework types.

pub mod amount;
pub mod bands;
pub mod nomenclature;
pub mod return_path;
pub mod tax_id;
pub mod valuation;
