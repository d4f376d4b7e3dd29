//! Customs' work on cases: the officers' queue with its tabs, filters and counts; taking,
//! releasing, assigning and moving cases; requests for information (the doubt procedure of
//! Decision 6.1) with due dates in working days; extension decisions; outcomes in writing;
//! reopening; the supervisors' reports; and the holidays of the working-day calendar.
//!
//! Rules: only customs staff who work cases see them (another organisation gets 404); an
//! officer acts only on the cases assigned to them, a supervisor on any, an auditor on none;
//! every step calls `domain::cases::next_state` and is written in one transaction with its
//! timeline event (and, for the steps the trader must hear of, its notification mails).

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

pub mod pages;

use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::cases::CaseState;
use crate::error::AppError;
use crate::features::cases::CaseSummary;

/// A form field that may come once (`doc_types=invoice`) or many times with brackets
/// (`doc_types[]=invoice&doc_types[]=contract`, as the pages' checkboxes name it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ListField(pub Vec<String>);

impl<'de> Deserialize<'de> for ListField {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Values;
        impl<'de> serde::de::Visitor<'de> for Values {
            type Value = ListField;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a text or a list of texts")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ListField, E> {
                Ok(ListField(if v.is_empty() {
                    Vec::new()
                } else {
                    vec![v.to_string()]
                }))
            }

            fn visit_unit<E: serde::de::Error>(self) -> Result<ListField, E> {
                Ok(ListField::default())
            }

            fn visit_none<E: serde::de::Error>(self) -> Result<ListField, E> {
                Ok(ListField::default())
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<ListField, A::Error> {
                let mut values = Vec::new();
                while let Some(v) = seq.next_element::<String>()? {
                    values.push(v);
                }
                Ok(ListField(values))
            }
        }
        deserializer.deserialize_any(Values)
    }
}

/// Rows of the queue per page.
pub const QUEUE_PAGE_ROWS: usize = 50;

/// The queue's tab, filters, sort and page as the address gives them (all text, parsed on the
/// server).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QueueFilter {
    /// `unassigned` (the default), `mine` or `all`.
    pub tab: String,
    pub state: String,
    pub kind: String,
    /// A person's id, or `none` for unassigned cases.
    pub assignee: String,
    /// A tariff code or chapter (a prefix; dots ignored).
    pub tariff: String,
    pub origin: String,
    /// RUC or name, in part.
    pub importer: String,
    pub broker: String,
    pub level: String,
    /// `yes`: overdue cases only.
    pub overdue: String,
    pub words: String,
    /// `due` (the default) or `age`.
    pub sort: String,
    /// From 1.
    pub page: String,
}

/// A customs person cases can be assigned to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffChoice {
    pub id: Uuid,
    pub name: String,
}

/// One page of the queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueView {
    /// `unassigned`, `mine` or `all`.
    pub tab: String,
    pub unassigned: i64,
    pub mine: i64,
    pub all: i64,
    pub rows: Vec<CaseSummary>,
    pub page: u32,
    pub has_next: bool,
    /// The caller is a supervisor: checkboxes and the assign form.
    pub can_assign: bool,
    /// The caller may open a request for information.
    pub can_open: bool,
    pub staff: Vec<StaffChoice>,
}

/// What the customs panel of a case page needs besides the case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelInfo {
    pub staff: Vec<StaffChoice>,
    pub period_days: u32,
    /// The due date a request issued today would have.
    pub due_if_issued_today: NaiveDate,
    pub extension_max_days: u32,
    /// The latest date an extension may give (the open request's due date plus the maximum).
    pub extension_latest: Option<NaiveDate>,
    pub reopen_days: u32,
    /// The one-time key of the request form (a repeated post issues one request).
    pub client_key: String,
}

/// The assessment (or importer) a new request is addressed to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestTargetView {
    pub assessment: Option<String>,
    pub importer_name: String,
    pub importer_tax_id: String,
    pub tariff_code: String,
    pub origin: String,
}

/// The new-request form's facts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestFormInfo {
    pub target: Option<RequestTargetView>,
    pub period_days: u32,
    pub due_if_issued_today: NaiveDate,
    /// The one-time key of the form (a repeated post opens one case).
    pub client_key: String,
}

/// The reports' date range as typed (`YYYY-MM-DD`; empty: the last 90 days).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportFilter {
    pub from: String,
    pub to: String,
}

/// Cases of one person (or of nobody).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssigneeRow {
    pub name: Option<String>,
    pub open: i64,
    pub closed: i64,
}

/// Outcomes of one tariff chapter or origin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeRow {
    pub key: String,
    pub dispelled: i64,
    pub confirmed: i64,
}

/// The supervisors' reports over the cases sent in a date range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reports {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub by_state: Vec<(CaseState, i64)>,
    pub by_assignee: Vec<AssigneeRow>,
    pub closed: i64,
    pub closed_on_time: i64,
    /// Median working days from sending to closing, e.g. `4` or `4.5`; `None` when none closed.
    pub median_days: Option<String>,
    pub requests_answered: i64,
    pub answered_late: i64,
    pub by_chapter: Vec<OutcomeRow>,
    pub by_origin: Vec<OutcomeRow>,
}

/// One holiday.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayRow {
    pub day: NaiveDate,
    pub name: String,
}

/// The holidays page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayList {
    pub rows: Vec<HolidayRow>,
    pub can_manage: bool,
}

#[cfg(feature = "ssr")]
use crate::server::caller::caller;

#[cfg(feature = "ssr")]
fn back_to_case(reference: &str) {
    leptos_axum::redirect(&format!("/cases/{reference}"));
}

/// The officers' queue: a tab with the counts of all three under the same filters.
#[server(
    name = LoadQueue,
    prefix = "/api",
    endpoint = "casework-queue",
    input = server_fn::codec::GetUrl
)]
pub async fn load_queue(#[server(default)] filter: QueueFilter) -> Result<QueueView, AppError> {
    use crate::server::context::{pool, settings};
    let caller = caller()?;
    service::queue(&pool()?, &settings()?, &caller, &filter).await
}

/// The customs panel's facts for a case; nothing for a caller who does not work cases (the case
/// page asks for everyone, and must not answer a trader with this call's refusal).
#[server(
    name = LoadPanelInfo,
    prefix = "/api",
    endpoint = "casework-panel",
    input = server_fn::codec::GetUrl
)]
pub async fn panel_info(
    #[server(default)] reference: String,
) -> Result<Option<PanelInfo>, AppError> {
    use crate::server::context::{pool, settings};
    let caller = caller()?;
    service::panel_info(&pool()?, &settings()?, &caller, &reference).await
}

/// The new-request form's facts (the assessment named, the due date rule).
#[server(
    name = LoadRequestForm,
    prefix = "/api",
    endpoint = "casework-request-form",
    input = server_fn::codec::GetUrl
)]
pub async fn request_form(
    #[server(default)] assessment: String,
) -> Result<RequestFormInfo, AppError> {
    use crate::server::context::{pool, settings};
    let caller = caller()?;
    service::request_form(&pool()?, &settings()?, &caller, &assessment).await
}

/// An officer takes an unassigned open case; back to the case.
#[server(prefix = "/api", endpoint = "take-case")]
pub async fn take_case(#[server(default)] reference: String) -> Result<(), AppError> {
    use crate::server::context::{pool, settings};
    let caller = caller()?;
    let reference = service::take(&pool()?, &settings()?, &caller, &reference).await?;
    back_to_case(&reference);
    Ok(())
}

/// The assignee (or a supervisor) gives the case back to the queue with a reason.
#[server(prefix = "/api", endpoint = "release-case")]
pub async fn release_case(
    #[server(default)] reference: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::server::context::{pool, settings};
    let caller = caller()?;
    let reference = service::release(&pool()?, &settings()?, &caller, &reference, &reason).await?;
    back_to_case(&reference);
    Ok(())
}

/// A supervisor assigns or moves one case (`reference`) or many (`ids[]`) to `assignee`, with
/// a reason; back to the case, or to the queue for many.
#[server(prefix = "/api", endpoint = "assign-cases")]
pub async fn assign_cases(
    #[server(default)] ids: ListField,
    #[server(default)] reference: String,
    #[server(default)] assignee: String,
    #[server(default)] reason: String,
    #[server(default)] back: String,
) -> Result<u32, AppError> {
    use crate::server::context::{pool, settings};
    let caller = caller()?;
    let done = service::assign(
        &pool()?,
        &settings()?,
        &caller,
        &ids.0,
        &reference,
        &assignee,
        &reason,
    )
    .await?;
    if reference.trim().is_empty() {
        let back = crate::domain::return_path::safe_return_path(&back);
        let back = if back.starts_with("/customs/cases") {
            back
        } else {
            "/customs/cases"
        };
        leptos_axum::redirect(back);
    } else {
        back_to_case(reference.trim());
    }
    Ok(done)
}

/// Issues a request for information on a case; field errors on `grounds` and `doc_types`.
#[server(prefix = "/api", endpoint = "issue-request")]
pub async fn issue_request(
    #[server(default)] reference: String,
    #[server(default)] grounds: String,
    #[server(default)] doc_types: ListField,
    #[server(default)] client_key: String,
) -> Result<(), AppError> {
    use crate::server::context::{pool, settings};
    let caller = caller()?;
    let reference = service::issue_request(
        &pool()?,
        &settings()?,
        &caller,
        &reference,
        &grounds,
        &doc_types.0,
        &client_key,
    )
    .await?;
    back_to_case(&reference);
    Ok(())
}

/// Opens a new request for information on an assessment, or on a declaration of an importer
/// (by RUC); goes to the new case and answers its reference.
#[server(prefix = "/api", endpoint = "open-request")]
pub async fn open_request(
    #[server(default)] assessment: String,
    #[server(default)] declaration: String,
    #[server(default)] importer_tax_id: String,
    #[server(default)] subject: String,
    #[server(default)] grounds: String,
    #[server(default)] doc_types: ListField,
    #[server(default)] client_key: String,
) -> Result<String, AppError> {
    use crate::server::context::{pool, settings};
    let caller = caller()?;
    let form = service::OpenRequestForm {
        assessment: &assessment,
        declaration: &declaration,
        importer_tax_id: &importer_tax_id,
        subject: &subject,
        grounds: &grounds,
        doc_types: &doc_types.0,
        client_key: &client_key,
    };
    let reference = service::open_request(&pool()?, &settings()?, &caller, &form).await?;
    back_to_case(&reference);
    Ok(reference)
}

/// Grants the asked extension until `due_on`, or refuses it with a reason.
#[server(prefix = "/api", endpoint = "decide-extension")]
pub async fn decide_extension(
    #[server(default)] reference: String,
    #[server(default)] decision: String,
    #[server(default)] due_on: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::server::context::{pool, settings};
    let caller = caller()?;
    let reference = service::decide_extension(
        &pool()?,
        &settings()?,
        &caller,
        &reference,
        &decision,
        &due_on,
        &reason,
    )
    .await?;
    back_to_case(&reference);
    Ok(())
}

/// Records the outcome in writing and closes the case.
#[server(prefix = "/api", endpoint = "record-outcome")]
pub async fn record_outcome(
    #[server(default)] reference: String,
    #[server(default)] outcome: String,
    #[server(default)] grounds: String,
    #[server(default)] next_method: String,
) -> Result<(), AppError> {
    use crate::server::context::{pool, settings};
    let caller = caller()?;
    let reference = service::record_outcome(
        &pool()?,
        &settings()?,
        &caller,
        &reference,
        &outcome,
        &grounds,
        &next_method,
    )
    .await?;
    back_to_case(&reference);
    Ok(())
}

/// Reopens a closed case within the reopening period, with a reason.
#[server(prefix = "/api", endpoint = "reopen-case")]
pub async fn reopen_case(
    #[server(default)] reference: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::server::context::{pool, settings};
    let caller = caller()?;
    let reference = service::reopen(&pool()?, &settings()?, &caller, &reference, &reason).await?;
    back_to_case(&reference);
    Ok(())
}

/// The supervisors' reports over a date range.
#[server(
    name = LoadReports,
    prefix = "/api",
    endpoint = "case-reports",
    input = server_fn::codec::GetUrl
)]
pub async fn load_reports(#[server(default)] filter: ReportFilter) -> Result<Reports, AppError> {
    use crate::server::context::{pool, settings};
    let caller = caller()?;
    service::reports(&pool()?, &settings()?, &caller.actor, &filter, caller.lang).await
}

/// The holidays of the working-day calendar.
#[server(
    name = LoadHolidays,
    prefix = "/api",
    endpoint = "holidays",
    input = server_fn::codec::GetUrl
)]
pub async fn load_holidays() -> Result<HolidayList, AppError> {
    let caller = caller()?;
    service::holiday_list(&crate::server::context::pool()?, &caller.actor).await
}

/// Adds a holiday (`day` YYYY-MM-DD, `name`); back to the holidays.
#[server(prefix = "/api", endpoint = "add-holiday")]
pub async fn add_holiday(
    #[server(default)] day: String,
    #[server(default)] name: String,
) -> Result<(), AppError> {
    let caller = caller()?;
    service::add_holiday(&crate::server::context::pool()?, &caller, &day, &name).await?;
    leptos_axum::redirect("/customs/holidays");
    Ok(())
}

/// Removes a holiday; back to the holidays.
#[server(prefix = "/api", endpoint = "remove-holiday")]
pub async fn remove_holiday(#[server(default)] day: String) -> Result<(), AppError> {
    let caller = caller()?;
    service::remove_holiday(&crate::server::context::pool()?, &caller, &day).await?;
    leptos_axum::redirect("/customs/holidays");
    Ok(())
}
