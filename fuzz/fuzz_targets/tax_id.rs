//! The tax-id parser on any text: it answers, never panics, and what it accepts reads back the
//! same.
#![no_main]

use app::domain::tax_id::{TaxId, TaxIdScheme};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    if let Ok(id) = TaxId::parse(TaxIdScheme::Ruc, input) {
        assert_eq!(TaxId::parse(TaxIdScheme::Ruc, id.as_str()), Ok(id.clone()));
    }
});
