//! Incoterms 2020: who pays which leg of the journey, which decides what the customs value adds
//! or takes away.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Incoterm {
    Exw,
    Fca,
    Fas,
    Fob,
    Cfr,
    Cif,
    Cpt,
    Cip,
    Dap,
    Dpu,
    Ddp,
}

impl Incoterm {
    pub const ALL: [Incoterm; 11] = [
        Incoterm::Exw,
        Incoterm::Fca,
        Incoterm::Fas,
        Incoterm::Fob,
        Incoterm::Cfr,
        Incoterm::Cif,
        Incoterm::Cpt,
        Incoterm::Cip,
        Incoterm::Dap,
        Incoterm::Dpu,
        Incoterm::Ddp,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Incoterm::Exw => "EXW",
            Incoterm::Fca => "FCA",
            Incoterm::Fas => "FAS",
            Incoterm::Fob => "FOB",
            Incoterm::Cfr => "CFR",
            Incoterm::Cif => "CIF",
            Incoterm::Cpt => "CPT",
            Incoterm::Cip => "CIP",
            Incoterm::Dap => "DAP",
            Incoterm::Dpu => "DPU",
            Incoterm::Ddp => "DDP",
        }
    }

    /// Accepts the three-letter code in any case.
    pub fn parse(text: &str) -> Option<Incoterm> {
        let text = text.trim();
        Incoterm::ALL
            .into_iter()
            .find(|i| i.code().eq_ignore_ascii_case(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back() {
        for incoterm in Incoterm::ALL {
            assert_eq!(Incoterm::parse(incoterm.code()), Some(incoterm));
        }
        assert_eq!(Incoterm::parse(" cif "), Some(Incoterm::Cif));
        assert_eq!(
            Incoterm::parse("DAT"),
            None,
            "DAT was replaced by DPU in 2020"
        );
    }
}
