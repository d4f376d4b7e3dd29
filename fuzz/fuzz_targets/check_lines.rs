//! The check-line parsers on any bytes: an invoice file (CSV or XLSX) and a checks API body are
//! read into lines or refused, never a panic.
#![no_main]

use app::features::batches::service::{read, read_api_body};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let _ = read(input);
    let _ = read_api_body(input);
});
