//! Pure domain logic shared by the browser (WASM) and the server: no I/O, no framework types.

pub mod amount;
pub mod bands;
pub mod csv_rows;
pub mod engine;
pub mod evidence;
pub mod exchange;
pub mod incoterm;
pub mod nomenclature;
pub mod readable_ref;
pub mod records;
pub mod reference;
pub mod return_path;
pub mod search;
pub mod tax_id;
pub mod units;
pub mod valuation;
