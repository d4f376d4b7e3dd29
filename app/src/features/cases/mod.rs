//! Customs cases on the trader's side and the case page both sides share: an importer's trader
//! (or a broker acting for it) opens a query, sends it, writes messages with attachments, asks
//! for the one extension of a request for information, answers it or says there is nothing more
//! to add, and withdraws a query; everyone allowed sees the thread, the request, the timeline and
//! the notifications sent. Customs' own steps are in `casework`.

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

pub mod pages;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::cases::{
    CaseKind, CaseState, EventKind, NextMethod, Outcome, QueryCategory, Side,
};
use crate::domain::documents::DocType;
use crate::domain::engine::Level;
use crate::error::AppError;
use leptos::prelude::*;

/// One case in a list (the trader's list and the officers' queue).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub id: Uuid,
    pub reference: String,
    pub kind: CaseKind,
    pub state: CaseState,
    pub subject: String,
    pub category: QueryCategory,
    pub importer_name: String,
    pub importer_tax_id: String,
    pub broker_name: Option<String>,
    pub assessment_reference: Option<String>,
    pub declaration_ref: String,
    pub tariff_code: String,
    pub origin: String,
    pub level: Option<Level>,
    pub assignee_name: Option<String>,
    pub created_at: String,
    /// Working days with customs so far (the clock pauses while the case awaits the trader).
    pub working_days: u32,
    /// The date of the clock that runs now.
    pub due_on: Option<NaiveDate>,
    pub overdue: bool,
    /// Messages from the other side the caller's side has not opened yet.
    pub unread: u32,
}

/// An attachment of a message: the stored file's name, type, size and fingerprint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentView {
    pub id: Uuid,
    pub doc_type: DocType,
    pub file_name: String,
    pub byte_size: u64,
    pub sha256: String,
    pub confidential: bool,
    /// Hidden from the caller (a confidential file, for customs staff not assigned): listed by
    /// type and fingerprint only, not downloadable.
    pub withheld: bool,
}

/// One message of the thread.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageView {
    pub id: Uuid,
    pub side: Side,
    /// `message`, or the step it carries (`request`, `answer`, `nothing_more`, `extension`,
    /// `extension_decision`, `outcome`).
    pub purpose: String,
    /// The officer's name or the team's (per `VALORA_CUSTOMS_SENDER`), or the trader's name.
    pub author: String,
    /// The organisation the author acted for, when a broker wrote for the importer.
    pub acting_for: Option<String>,
    pub body: String,
    pub sent_at: String,
    /// When the other side first opened it.
    pub read_at: Option<String>,
    pub attachments: Vec<AttachmentView>,
}

/// A request for information as the case shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestView {
    pub id: Uuid,
    pub issued_at: String,
    pub issued_by: String,
    pub grounds: String,
    pub requested_types: Vec<DocType>,
    pub period_days: u32,
    /// The due date in force (the extension's when granted).
    pub due_on: NaiveDate,
    pub original_due_on: NaiveDate,
    pub extension_asked_at: Option<String>,
    pub extension_reason: String,
    /// `Some(true)` granted, `Some(false)` refused, `None` not decided (or not asked).
    pub extension_granted: Option<bool>,
    pub extension_refusal: String,
    pub answered_at: Option<String>,
    /// `answer` or `nothing_more`.
    pub answer_kind: Option<String>,
    pub answer_late: bool,
}

/// One step of the timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub id: i64,
    pub kind: EventKind,
    pub at: String,
    pub actor: Option<String>,
    pub actor_org: Option<String>,
    pub acting_for: Option<String>,
    /// A reason, the person assigned, a due date: per kind, already in words.
    pub detail: String,
}

/// One notification email and its delivery outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryView {
    pub recipient: String,
    pub event: Option<EventKind>,
    /// `pending`, `sent` or `failed`.
    pub status: String,
    pub at: String,
}

/// The outcome as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeView {
    pub outcome: Outcome,
    pub grounds: String,
    pub next_method: Option<NextMethod>,
    pub closed_at: String,
    /// The last day customs may reopen it.
    pub reopen_until: NaiveDate,
}

/// Everything the case page shows, for either side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseView {
    pub summary: CaseSummary,
    /// The caller's side: what the page offers depends on it.
    pub side: Side,
    /// The published response time of the category, in working days.
    pub response_days: u32,
    pub messages: Vec<MessageView>,
    /// Requests for information, oldest first (the open one last).
    pub requests: Vec<RequestView>,
    pub events: Vec<EventView>,
    pub deliveries: Vec<DeliveryView>,
    pub outcome: Option<OutcomeView>,
    /// The caller may act (trader side: may use the importer's cases; customs: the assignee or
    /// a supervisor). False for auditors and unassigned officers.
    pub can_act: bool,
    /// The caller may take it (customs, unassigned, open).
    pub can_take: bool,
    /// The caller is a supervisor (may assign and move).
    pub can_assign: bool,
    /// A delivery to a recipient failed after its retries.
    pub delivery_failed: bool,
    /// A fresh one-time key for the message form (duplicate sends make one message).
    pub form_key: String,
    /// Library documents the trader side may attach today.
    pub library: Vec<crate::features::documents::LibraryChoice>,
}

/// The trader's list of cases.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasesList {
    pub cases: Vec<CaseSummary>,
    /// Notifications that failed after their retries (shown to the importer's administrator).
    pub failed_deliveries: i64,
}

/// What the new-query form offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewQueryForm {
    pub client_key: String,
    /// Each category with its published response time, in working days.
    pub categories: Vec<(QueryCategory, u32)>,
    pub assessment: String,
    pub library: Vec<crate::features::documents::LibraryChoice>,
}

/// A printable notice of one step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeView {
    pub reference: String,
    pub kind: EventKind,
    pub case_kind: CaseKind,
    pub subject: String,
    pub at: String,
    pub sender: String,
    pub sender_org: String,
    pub importer_name: String,
    pub importer_tax_id: String,
    /// The people notified (name and address).
    pub recipients: Vec<(String, String)>,
    /// The text of the step: the message, grounds or reason.
    pub text: String,
    pub due_on: Option<NaiveDate>,
    pub outcome: Option<OutcomeView>,
    pub attachments: Vec<AttachmentView>,
    pub side: Side,
}

#[cfg(feature = "ssr")]
use crate::server::caller::caller;

/// Opens a query (`intent` = `draft` or `send`) and goes to its page; field errors on
/// `subject`, `category`, `assessment`, `body`, `library_id`.
#[server(prefix = "/api", endpoint = "open-query")]
pub async fn open_query(
    #[server(default)] subject: String,
    #[server(default)] category: String,
    #[server(default)] assessment: String,
    #[server(default)] body: String,
    #[server(default)] library_id: Vec<String>,
    #[server(default)] client_key: String,
    #[server(default)] intent: String,
) -> Result<String, AppError> {
    use crate::server::context::{pool, settings};
    let caller = caller()?;
    let form = service::OpenForm {
        subject,
        category,
        assessment,
        body,
        library_ids: library_id,
        client_key,
        intent,
    };
    let reference = service::open_query(&pool()?, &settings()?, &caller, &form).await?;
    leptos_axum::redirect(&format!("/cases/{reference}"));
    Ok(reference)
}

/// Sends a draft query.
#[server(prefix = "/api", endpoint = "send-query")]
pub async fn send_query(#[server(default)] reference: String) -> Result<String, AppError> {
    use crate::server::context::{pool, settings};
    let caller = caller()?;
    let reference = service::send_query(&pool()?, &settings()?, &caller, &reference).await?;
    leptos_axum::redirect(&format!("/cases/{reference}"));
    Ok(reference)
}

/// Asks for the one extension of the open request (field error on `reason`).
#[server(prefix = "/api", endpoint = "ask-extension")]
pub async fn ask_extension(
    #[server(default)] reference: String,
    #[server(default)] reason: String,
) -> Result<String, AppError> {
    let caller = caller()?;
    let pool = crate::server::context::pool()?;
    let reference = service::ask_extension(&pool, &caller, &reference, &reason).await?;
    leptos_axum::redirect(&format!("/cases/{reference}#request"));
    Ok(reference)
}

/// Withdraws a query (field error on `reason`).
#[server(prefix = "/api", endpoint = "withdraw-case")]
pub async fn withdraw_case(
    #[server(default)] reference: String,
    #[server(default)] reason: String,
) -> Result<String, AppError> {
    let caller = caller()?;
    let pool = crate::server::context::pool()?;
    let reference = service::withdraw(&pool, &caller, &reference, &reason).await?;
    leptos_axum::redirect(&format!("/cases/{reference}"));
    Ok(reference)
}

/// The case page's view (not found when the caller may not see it).
#[server(name = LoadCase, prefix = "/api", endpoint = "case", input = server_fn::codec::GetUrl)]
pub async fn load_case(#[server(default)] reference: String) -> Result<CaseView, AppError> {
    use crate::server::context::{pool, settings};
    let caller = caller()?;
    service::load_view(&pool()?, &settings()?, &caller.actor, &reference).await
}

/// The trader's list of the importer's cases.
#[server(name = ListCases, prefix = "/api", endpoint = "cases", input = server_fn::codec::GetUrl)]
pub async fn list_cases() -> Result<CasesList, AppError> {
    use crate::server::context::{pool, settings};
    let caller = caller()?;
    let pool = pool()?;
    let cases = service::list_for_trader(&pool, &settings()?, &caller.actor).await?;
    let actor = &caller.actor;
    let failed_deliveries = if actor.role == crate::policy::Role::OrgAdmin
        && actor.org_kind == crate::policy::OrgKind::Importer
    {
        crate::features::notifications::repo::failed_for_importer(&pool, actor.org_id).await?
    } else {
        0
    };
    Ok(CasesList {
        cases,
        failed_deliveries,
    })
}

/// Unread messages for the header's badge (0 when signed out).
#[server(name = UnreadCases, prefix = "/api", endpoint = "case-unread", input = server_fn::codec::GetUrl)]
pub async fn unread_cases() -> Result<i64, AppError> {
    let Some(session) = crate::server::caller::current_session() else {
        return Ok(0);
    };
    let pool = crate::server::context::pool()?;
    service::unread(&pool, &session.actor).await
}

/// What the new-query form offers, with a fresh one-time key.
#[server(name = LoadNewQuery, prefix = "/api", endpoint = "new-query-form", input = server_fn::codec::GetUrl)]
pub async fn new_query_form(
    #[server(default)] assessment: String,
) -> Result<NewQueryForm, AppError> {
    use crate::server::context::{pool, settings};
    let caller = caller()?;
    service::new_query_form(&pool()?, &settings()?, &caller.actor, &assessment).await
}

/// The printable notice of one step of a case.
#[server(name = LoadNotice, prefix = "/api", endpoint = "case-notice", input = server_fn::codec::GetUrl)]
pub async fn case_notice(
    #[server(default)] reference: String,
    #[server(default)] event_id: String,
) -> Result<NoticeView, AppError> {
    use crate::server::context::{pool, settings};
    let caller = caller()?;
    service::notice(&pool()?, &settings()?, &caller.actor, &reference, &event_id).await
}
