//! The table reader under uploads (CSV or XLSX, told apart by content) on any bytes, with small
//! limits: rows or a refusal, never a panic or an unbounded allocation.
#![no_main]

use app::server::spreadsheet::{Limits, read_table};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let limits = Limits {
        rows: 1000,
        columns: 64,
        unpacked_bytes: 16 * 1024 * 1024,
        code_columns: &["hs"],
    };
    let _ = read_table(input, &limits);
});
