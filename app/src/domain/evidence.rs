//! The evidence that would support a declared value, chosen by where the value sits and the
//! reasons the trader gives (see "Evidence" in the [`crate::domain`] docs).

use serde::{Deserialize, Serialize};

use super::engine::Level;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Reason {
    Discount,
    Quantity,
    Quality,
    CommercialLevel,
    Clearance,
}

impl Reason {
    pub const ALL: [Reason; 5] = [
        Reason::Discount,
        Reason::Quantity,
        Reason::Quality,
        Reason::CommercialLevel,
        Reason::Clearance,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Reason::Discount => "discount",
            Reason::Quantity => "quantity",
            Reason::Quality => "quality",
            Reason::CommercialLevel => "level",
            Reason::Clearance => "clearance",
        }
    }

    pub fn parse(code: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.code() == code)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    Invoice,
    Contract,
    Payment,
    Transport,
    Insurance,
    PriceList,
    DiscountLetter,
    VolumeScales,
    QualitySheets,
    CommercialLevelProof,
    ClearanceProof,
    TransferPricing,
    RoyaltyAgreement,
}

/// What to keep ready, most important first. Every value needs the invoice, the contract and
/// the proof of payment; a low value needs what explains it; a related-party price needs the
/// transfer-pricing file; royalties need their agreement.
pub fn evidence_for(
    level: Level,
    reasons: &[Reason],
    related: bool,
    royalties: bool,
) -> Vec<Evidence> {
    let mut list = vec![Evidence::Invoice, Evidence::Contract, Evidence::Payment];
    let low = matches!(level, Level::WellBelow | Level::Below);
    if low || matches!(level, Level::NoBand) {
        list.extend([
            Evidence::Transport,
            Evidence::Insurance,
            Evidence::PriceList,
        ]);
    }
    if low {
        for reason in reasons {
            list.push(match reason {
                Reason::Discount => Evidence::DiscountLetter,
                Reason::Quantity => Evidence::VolumeScales,
                Reason::Quality => Evidence::QualitySheets,
                Reason::CommercialLevel => Evidence::CommercialLevelProof,
                Reason::Clearance => Evidence::ClearanceProof,
            });
        }
    }
    if related {
        list.push(Evidence::TransferPricing);
    }
    if royalties {
        list.push(Evidence::RoyaltyAgreement);
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_usual_value_needs_the_basic_documents_only() {
        assert_eq!(
            evidence_for(Level::Usual, &[Reason::Discount], false, false),
            vec![Evidence::Invoice, Evidence::Contract, Evidence::Payment]
        );
    }

    #[test]
    fn a_low_value_needs_what_explains_its_reasons() {
        let list = evidence_for(
            Level::WellBelow,
            &[Reason::Quantity, Reason::Clearance],
            true,
            true,
        );
        for needed in [
            Evidence::PriceList,
            Evidence::VolumeScales,
            Evidence::ClearanceProof,
            Evidence::TransferPricing,
            Evidence::RoyaltyAgreement,
        ] {
            assert!(list.contains(&needed), "{needed:?}");
        }
        assert!(!list.contains(&Evidence::DiscountLetter));
    }

    #[test]
    fn reason_codes_round_trip() {
        for reason in Reason::ALL {
            assert_eq!(Reason::parse(reason.code()), Some(reason));
        }
    }
}
