//! The reference-data importers' parsers (HS, tariff texts, countries, currencies, units, rates)
//! on any bytes: each reports rows or line errors, never panics.
#![no_main]

use app::domain::{nomenclature, reference};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let _ = nomenclature::parse_hs_csv(input);
    let _ = reference::parse_tariff_texts(input);
    let _ = reference::parse_countries(input);
    let _ = reference::parse_currencies(input);
    let _ = reference::parse_units(input);
    let _ = reference::parse_rates(input, "USD", |code| code == "PEN" || code == "EUR");
});
