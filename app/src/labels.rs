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
            Role::CustomsSupervisor => Msg::RoleCustomsSupervisor,
            Role::CustomsAuditor => Msg::RoleCustomsAuditor,
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

/// A document type, as lists and forms name it.
pub fn doc_type_label(doc_type: crate::domain::documents::DocType) -> Msg {
    use crate::domain::documents::DocType;
    match doc_type {
        DocType::Invoice => Msg::DocTypeInvoice,
        DocType::Contract => Msg::DocTypeContract,
        DocType::Payment => Msg::DocTypePayment,
        DocType::PriceList => Msg::DocTypePriceList,
        DocType::Transport => Msg::DocTypeTransport,
        DocType::Insurance => Msg::DocTypeInsurance,
        DocType::Royalty => Msg::DocTypeRoyalty,
        DocType::TransferPricing => Msg::DocTypeTransferPricing,
        DocType::PriceLetter => Msg::DocTypePriceLetter,
        DocType::BrokerAuthority => Msg::DocTypeBrokerAuthority,
        DocType::Other => Msg::DocTypeOther,
    }
}

/// A document's confidentiality level, as a short word.
pub fn confidentiality_label(level: crate::domain::documents::Confidentiality) -> Msg {
    use crate::domain::documents::Confidentiality;
    match level {
        Confidentiality::Normal => Msg::ConfidentialityNormal,
        Confidentiality::Confidential => Msg::ConfidentialityConfidential,
    }
}

/// Where a library document stands today, as a short tag.
pub fn validity_label(validity: crate::domain::documents::Validity) -> Msg {
    use crate::domain::documents::Validity;
    match validity {
        Validity::NotYet => Msg::ValidityNotYet,
        Validity::Valid => Msg::ValidityValid,
        Validity::ExpiringSoon => Msg::ValidityExpiringSoon,
        Validity::Expired => Msg::ValidityExpired,
    }
}

/// Why a file was not accepted, as the upload page, its script and the API say it: the limits
/// come from the settings (`limits`), never from the message; `detail` is the file name of the
/// document a duplicate repeats (empty when unknown).
pub fn refusal_message(
    lang: Lang,
    refusal: crate::domain::documents::Refusal,
    limits: &crate::domain::documents::UploadLimits,
    detail: &str,
) -> String {
    use crate::domain::documents::{FileFormat, Refusal, format_size};
    use crate::i18n::fmt;
    let text = |msg| t(lang, msg).to_string();
    match refusal {
        Refusal::Empty => text(Msg::RefusalEmpty),
        Refusal::TooLarge => {
            fmt::refusal_too_large(lang, format_size(limits.max_file_bytes, lang == Lang::Es))
        }
        Refusal::TypeNotAllowed => {
            let names: Vec<&str> = FileFormat::ALL.iter().map(|f| f.display_name()).collect();
            let (last, rest) = names.split_last().expect("formats are accepted");
            fmt::refusal_type_not_allowed(lang, rest.join(", "), *last)
        }
        Refusal::ExtensionMismatch => text(Msg::RefusalExtensionMismatch),
        Refusal::Protected => text(Msg::RefusalProtected),
        Refusal::Unreadable => text(Msg::RefusalUnreadable),
        Refusal::ArchiveBounds => text(Msg::RefusalArchiveBounds),
        Refusal::Duplicate if detail.is_empty() => text(Msg::RefusalDuplicateUnnamed),
        Refusal::Duplicate => fmt::refusal_duplicate(lang, detail),
        Refusal::Virus => text(Msg::RefusalVirus),
        Refusal::NoName => text(Msg::RefusalNoName),
        Refusal::TooMany => fmt::refusal_too_many(lang, i64::from(limits.max_files)),
    }
}

/// A case's kind.
pub fn case_kind_label(kind: crate::domain::cases::CaseKind) -> Msg {
    use crate::domain::cases::CaseKind;
    match kind {
        CaseKind::Query => Msg::CaseKindQuery,
        CaseKind::Request => Msg::CaseKindRequest,
    }
}

/// A case's internal state, as customs staff see it.
pub fn case_state_label(state: crate::domain::cases::CaseState) -> Msg {
    use crate::domain::cases::CaseState as S;
    match state {
        S::Draft => Msg::CaseStateDraft,
        S::Submitted => Msg::CaseStateSubmitted,
        S::InProgress => Msg::CaseStateInProgress,
        S::AwaitingTrader => Msg::CaseStateAwaitingTrader,
        S::UnderReview => Msg::CaseStateUnderReview,
        S::Closed => Msg::CaseStateClosed,
        S::Withdrawn => Msg::CaseStateWithdrawn,
    }
}

/// A case's plain state, as traders see it.
pub fn trader_state_label(state: crate::domain::cases::TraderState) -> Msg {
    use crate::domain::cases::TraderState as S;
    match state {
        S::Draft => Msg::TraderStateDraft,
        S::Sent => Msg::TraderStateSent,
        S::InReview => Msg::TraderStateInReview,
        S::InformationRequested => Msg::TraderStateInformationRequested,
        S::Resolved => Msg::TraderStateResolved,
        S::Withdrawn => Msg::TraderStateWithdrawn,
    }
}

/// A case's outcome.
pub fn outcome_label(outcome: crate::domain::cases::Outcome) -> Msg {
    use crate::domain::cases::Outcome;
    match outcome {
        Outcome::Answered => Msg::OutcomeAnswered,
        Outcome::Dispelled => Msg::OutcomeDispelled,
        Outcome::Confirmed => Msg::OutcomeConfirmed,
    }
}

/// The valuation method that applies after a confirmed doubt.
pub fn next_method_label(method: crate::domain::cases::NextMethod) -> Msg {
    use crate::domain::cases::NextMethod as M;
    match method {
        M::IdenticalGoods => Msg::NextMethodIdentical,
        M::SimilarGoods => Msg::NextMethodSimilar,
        M::Deductive => Msg::NextMethodDeductive,
        M::Computed => Msg::NextMethodComputed,
        M::Fallback => Msg::NextMethodFallback,
    }
}

/// A query's category.
pub fn category_label(category: crate::domain::cases::QueryCategory) -> Msg {
    use crate::domain::cases::QueryCategory as C;
    match category {
        C::Valuation => Msg::CategoryValuation,
        C::Evidence => Msg::CategoryEvidence,
        C::Procedure => Msg::CategoryProcedure,
    }
}

/// A step of a case's timeline.
pub fn event_label(kind: crate::domain::cases::EventKind) -> Msg {
    use crate::domain::cases::EventKind as E;
    match kind {
        E::Created => Msg::EventCreated,
        E::Sent => Msg::EventSent,
        E::Assigned => Msg::EventAssigned,
        E::Released => Msg::EventReleased,
        E::Message => Msg::EventMessage,
        E::RequestIssued => Msg::EventRequestIssued,
        E::ExtensionAsked => Msg::EventExtensionAsked,
        E::ExtensionGranted => Msg::EventExtensionGranted,
        E::ExtensionRefused => Msg::EventExtensionRefused,
        E::AnswerReceived => Msg::EventAnswerReceived,
        E::NothingMore => Msg::EventNothingMore,
        E::Outcome => Msg::EventOutcome,
        E::Reopened => Msg::EventReopened,
        E::Withdrawn => Msg::EventWithdrawn,
    }
}

/// Which side wrote.
pub fn side_label(side: crate::domain::cases::Side) -> Msg {
    use crate::domain::cases::Side;
    match side {
        Side::Trader => Msg::SideTrader,
        Side::Customs => Msg::SideCustoms,
    }
}

#[cfg(test)]
mod refusal_tests {
    use super::*;
    use crate::domain::documents::{Refusal, UploadLimits};

    fn limits(max_file_bytes: u64, max_files: u32) -> UploadLimits {
        UploadLimits {
            max_file_bytes,
            max_files,
            scanning: true,
        }
    }

    #[test]
    fn refusals_state_the_limits_of_the_settings_in_each_language() {
        let default = limits(20 * 1024 * 1024, 20);
        assert_eq!(
            refusal_message(Lang::En, Refusal::TooLarge, &default, ""),
            "The selected file must be smaller than 20 MB"
        );
        assert_eq!(
            refusal_message(Lang::Es, Refusal::TooLarge, &limits(1536 * 1024, 1), ""),
            "El archivo seleccionado debe pesar menos de 1,5 MB"
        );
        assert_eq!(
            refusal_message(Lang::En, Refusal::TypeNotAllowed, &default, ""),
            "The selected file must be a PDF, JPEG, PNG, TIFF, XLSX, DOCX, ODT, ODS, CSV, TXT or XML"
        );
        assert_eq!(
            refusal_message(Lang::En, Refusal::TooMany, &default, ""),
            "You can attach up to 20 files to an assessment"
        );
        assert_eq!(
            refusal_message(Lang::Es, Refusal::TooMany, &limits(1, 1), ""),
            "Puede adjuntar como máximo 1 archivo a una evaluación"
        );
    }

    #[test]
    fn a_duplicate_names_the_document_it_repeats() {
        let default = limits(20 * 1024 * 1024, 20);
        assert_eq!(
            refusal_message(Lang::En, Refusal::Duplicate, &default, "factura-12.pdf"),
            "The selected file is already attached as “factura-12.pdf”"
        );
        assert_eq!(
            refusal_message(Lang::Es, Refusal::Duplicate, &default, "factura-12.pdf"),
            "El archivo seleccionado ya está adjunto como «factura-12.pdf»"
        );
        for refusal in Refusal::ALL {
            for lang in Lang::ALL {
                assert!(!refusal_message(lang, refusal, &default, "").is_empty());
            }
        }
    }
}
