//! Values in words: the one place that maps roles, levels, cost items, evidence, reasons,
//! verdicts and run states to their catalogue messages, for pages, CSV exports and the API alike.

use crate::domain::engine::{Item, Level};
use crate::domain::evidence::{Evidence, Reason};
use crate::i18n::{Lang, Msg, t};
use crate::policy::Role;

/// A role's name as the account and members pages show it.
pub fn role_name(lang: Lang, role: Role) -> &'static str {
    t(
        lang,
        match role {
            Role::OrgAdmin => Msg::RoleOrgAdmin,
            Role::Trader => Msg::RoleTrader,
            Role::Compliance => Msg::RoleCompliance,
            Role::CustomsOfficer => Msg::RoleCustomsOfficer,
            Role::ValuationAdmin => Msg::RoleValuationAdmin,
        },
    )
}

/// A line of the calculation.
pub fn item_label(item: Item) -> Msg {
    match item {
        Item::Price => Msg::ItemPrice,
        Item::PreCarriage => Msg::ItemPreCarriage,
        Item::Freight => Msg::ItemFreight,
        Item::Insurance => Msg::ItemInsurance,
        Item::SellingCommissions => Msg::ItemCommissions,
        Item::Packing => Msg::ItemPacking,
        Item::Assists => Msg::ItemAssists,
        Item::Royalties => Msg::ItemRoyalties,
        Item::Proceeds => Msg::ItemProceeds,
        Item::PostImportCosts => Msg::ItemPostImport,
    }
}

/// A piece of evidence to keep ready.
pub fn evidence_label(evidence: Evidence) -> Msg {
    match evidence {
        Evidence::Invoice => Msg::EvInvoice,
        Evidence::Contract => Msg::EvContract,
        Evidence::Payment => Msg::EvPayment,
        Evidence::Transport => Msg::EvTransport,
        Evidence::Insurance => Msg::EvInsuranceDoc,
        Evidence::PriceList => Msg::EvPriceList,
        Evidence::DiscountLetter => Msg::EvDiscount,
        Evidence::VolumeScales => Msg::EvQuantity,
        Evidence::QualitySheets => Msg::EvQuality,
        Evidence::CommercialLevelProof => Msg::EvLevel,
        Evidence::ClearanceProof => Msg::EvClearance,
        Evidence::TransferPricing => Msg::EvRelated,
        Evidence::RoyaltyAgreement => Msg::EvRoyalty,
    }
}

/// A reason the trader gives for a low price.
pub fn reason_label(reason: Reason) -> Msg {
    match reason {
        Reason::Discount => Msg::ReasonDiscount,
        Reason::Quantity => Msg::ReasonQuantity,
        Reason::Quality => Msg::ReasonQuality,
        Reason::CommercialLevel => Msg::ReasonLevel,
        Reason::Clearance => Msg::ReasonClearance,
    }
}

/// A level as a short tag.
pub fn level_label(level: Level) -> Msg {
    match level {
        Level::WellBelow => Msg::LevelWellBelow,
        Level::Below => Msg::LevelBelow,
        Level::Usual => Msg::LevelUsual,
        Level::Above => Msg::LevelAbove,
        Level::WellAbove => Msg::LevelWellAbove,
        Level::NoBand => Msg::LevelNoBand,
    }
}

/// The verdict sentence for a level: the same words on the page and in the API.
pub fn verdict_msg(level: Level) -> Msg {
    match level {
        Level::WellBelow => Msg::VerdictWellBelow,
        Level::Below => Msg::VerdictBelow,
        Level::Usual => Msg::VerdictUsual,
        Level::Above => Msg::VerdictAbove,
        Level::WellAbove => Msg::VerdictWellAbove,
        Level::NoBand => Msg::VerdictNoBand,
    }
}

/// A band run's state.
pub fn status_text(lang: Lang, status: &str) -> &'static str {
    match status {
        "published" => t(lang, Msg::StatusPublished),
        "discarded" => t(lang, Msg::StatusDiscarded),
        _ => t(lang, Msg::StatusDraft),
    }
}
