//! Customs workflows on cases: each checks the policy, takes the step in one transaction with its timeline event and notifications.

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde_json::{Value, json};
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

use super::repo::{self, QueueQuery, Tab};
use super::{
    AssigneeRow, HolidayList, HolidayRow, OutcomeRow, PanelInfo, QUEUE_PAGE_ROWS, QueueFilter,
    QueueView, ReportFilter, Reports, RequestFormInfo, RequestTargetView, StaffChoice,
};
use crate::domain::cases::{
    CaseFacts, CaseKind, CaseState, EventKind, NextMethod, Outcome, QueryCategory,
    REQUEST_CATEGORY, Side, Step, StepRefused, TextRefused, next_state, parse_text,
};
use crate::domain::documents::DocType;
use crate::domain::engine::Level;
use crate::domain::tax_id::{TaxId, TaxIdScheme};
use crate::domain::working_days::{Calendar, Clock};
use crate::error::AppError;
use crate::features::cases::CaseSummary;
use crate::features::cases::repo::{self as cases_repo, CaseRow, NewCase, NewMessage, NewRequest};
use crate::features::cases::service::{self as cases_service, calendar};
use crate::features::notifications::service::{Notify, notify};
use crate::i18n::{Lang, Msg, fmt, t};
use crate::policy::{Action, Actor, Decision, OrgKind, decide};
use crate::server::audit::{self, AuditEvent};
use crate::server::settings::Settings;

pub use crate::server::caller::Caller;

fn allowed(actor: &Actor, action: Action) -> bool {
    decide(Some(actor), action) == Decision::Allow
}

/// Customs staff who work cases pass; anyone else gets 403 (a case by its reference is "not
/// found" for the trader side: see [`visible_case`]).
fn customs_reader(actor: &Actor) -> Result<(), AppError> {
    if !allowed(actor, Action::ReadCases) {
        return Err(crate::server::caller::forbidden());
    }
    Ok(())
}

/// A case customs may see (any but a draft), after checking the caller reads cases; the rule of
/// who sees which case is the cases feature's.
async fn visible_case(pool: &PgPool, actor: &Actor, reference: &str) -> Result<CaseRow, AppError> {
    if actor.org_kind != OrgKind::Customs {
        return Err(AppError::not_found());
    }
    customs_reader(actor)?;
    match cases_service::visible(pool, actor, reference).await? {
        (row, Side::Customs) => Ok(row),
        _ => Err(AppError::not_found()),
    }
}

/// Locks the case in a new transaction for a customs step, checking again under the lock that the
/// caller may work it; with the facts the state machine reads.
async fn lock_for_work(
    pool: &PgPool,
    caller: &Caller,
    id: Uuid,
) -> Result<(Transaction<'static, Postgres>, CaseRow, CaseFacts), AppError> {
    let mut tx = pool.begin().await?;
    let row = cases_repo::lock(&mut tx, id).await?;
    may_work(&caller.actor, &row)?;
    let facts = cases_repo::facts(&mut *tx, id).await?;
    Ok((tx, row, facts))
}

/// Ends a customs step: its event on the timeline, the mails it sends (when `notifies`), the
/// commit; the case's reference.
async fn finish_step(
    mut tx: Transaction<'static, Postgres>,
    settings: &Settings,
    caller: &Caller,
    row: &CaseRow,
    kind: EventKind,
    detail: Value,
    notifies: bool,
) -> Result<String, AppError> {
    let event = cases_repo::insert_event(&mut tx, row.id, kind, &caller.actor, detail).await?;
    if notifies {
        notify(&mut tx, &notify_step(row, settings, event, kind)).await?;
    }
    tx.commit().await?;
    Ok(row.reference.clone())
}

/// The caller may act on the case: its assignee (an officer) or a supervisor.
fn may_work(actor: &Actor, row: &CaseRow) -> Result<(), AppError> {
    let assigned_to_caller = row.assignee_id == Some(actor.user_id);
    if allowed(actor, Action::WorkCase { assigned_to_caller }) {
        Ok(())
    } else {
        Err(crate::server::caller::forbidden())
    }
}

fn field(lang: Lang, id: &str, msg: Msg) -> (String, String) {
    (id.to_string(), t(lang, msg).to_string())
}

fn refused(lang: Lang, refusal: StepRefused) -> AppError {
    let msg = match refusal {
        StepRefused::NotNow | StepRefused::ExtensionAlreadyAsked => Msg::CwStepNotNow,
        StepRefused::WrongOutcome => Msg::CwWrongOutcome,
        StepRefused::ReopenPeriodOver => Msg::CwReopenPeriodOver,
    };
    AppError::invalid(t(lang, msg))
}

fn text(lang: Lang, id: &str, input: &str, missing: Msg) -> Result<String, (String, String)> {
    parse_text(input).map_err(|e| match e {
        TextRefused::Empty => field(lang, id, missing),
        TextRefused::TooLong => field(lang, id, Msg::CwTextTooLong),
    })
}

fn doc_types(lang: Lang, input: &[String]) -> Result<Vec<DocType>, (String, String)> {
    let mut types = Vec::new();
    for code in input {
        let parsed = DocType::parse(code.trim())
            .ok_or_else(|| field(lang, "doc_types", Msg::CwDocTypesMissing))?;
        if !types.contains(&parsed) {
            types.push(parsed);
        }
    }
    if types.is_empty() {
        return Err(field(lang, "doc_types", Msg::CwDocTypesMissing));
    }
    Ok(types)
}

fn client_key(input: &str) -> Uuid {
    Uuid::parse_str(input.trim()).unwrap_or_else(|_| Uuid::new_v4())
}

fn notify_step<'a>(
    row: &'a CaseRow,
    settings: &'a Settings,
    event_id: i64,
    kind: EventKind,
) -> Notify<'a> {
    Notify {
        case_id: row.id,
        reference: &row.reference,
        importer_id: row.importer_id,
        broker_id: row.broker_id,
        event_id,
        kind,
        public_base: &settings.public_base,
    }
}

/// An officer (or supervisor) takes an unassigned open case; the timeline says so.
pub async fn take(
    pool: &PgPool,
    settings: &Settings,
    caller: &Caller,
    reference: &str,
) -> Result<String, AppError> {
    let lang = caller.lang;
    let row = visible_case(pool, &caller.actor, reference).await?;
    if !allowed(&caller.actor, Action::OpenCases) {
        return Err(crate::server::caller::forbidden());
    }
    let mut tx = pool.begin().await?;
    let row = cases_repo::lock(&mut tx, row.id).await?;
    match row.assignee_id {
        Some(me) if me == caller.actor.user_id => return Ok(row.reference),
        Some(_) => return Err(AppError::invalid(t(lang, Msg::CwAlreadyAssigned))),
        None => {}
    }
    let facts = cases_repo::facts(&mut *tx, row.id).await?;
    let next = next_state(row.kind, row.state, facts, Step::Take).map_err(|r| refused(lang, r))?;
    cases_repo::set_assignee(&mut tx, row.id, Some(caller.actor.user_id)).await?;
    if next != row.state {
        cases_repo::set_state(&mut tx, row.id, next).await?;
    }
    let name = repo::user_name(&mut *tx, caller.actor.user_id)
        .await?
        .unwrap_or_default();
    let detail = json!({ "assignee_id": caller.actor.user_id, "assignee": name, "taken": true });
    finish_step(
        tx,
        settings,
        caller,
        &row,
        EventKind::Assigned,
        detail,
        false,
    )
    .await
}

/// The assignee (or a supervisor) gives the case back to the queue, with a reason.
pub async fn release(
    pool: &PgPool,
    settings: &Settings,
    caller: &Caller,
    reference: &str,
    reason: &str,
) -> Result<String, AppError> {
    let lang = caller.lang;
    let row = visible_case(pool, &caller.actor, reference).await?;
    may_work(&caller.actor, &row)?;
    let reason = text(lang, "reason", reason, Msg::CwReasonMissing)
        .map_err(|f| AppError::fields(vec![f]))?;
    let (mut tx, row, _) = lock_for_work(pool, caller, row.id).await?;
    let Some(previous) = row.assignee_id else {
        return Err(AppError::invalid(t(lang, Msg::CwStepNotNow)));
    };
    if !row.state.is_open() {
        return Err(refused(lang, StepRefused::NotNow));
    }
    cases_repo::set_assignee(&mut tx, row.id, None).await?;
    let name = repo::user_name(&mut *tx, previous)
        .await?
        .unwrap_or_default();
    let detail = json!({ "reason": reason, "previous_id": previous, "previous": name });
    finish_step(
        tx,
        settings,
        caller,
        &row,
        EventKind::Released,
        detail,
        false,
    )
    .await
}

/// A supervisor assigns (or moves) one case or many to an officer or supervisor, with a reason;
/// answers how many were assigned.
pub async fn assign(
    pool: &PgPool,
    _settings: &Settings,
    caller: &Caller,
    ids: &[String],
    reference: &str,
    assignee: &str,
    reason: &str,
) -> Result<u32, AppError> {
    let lang = caller.lang;
    customs_reader(&caller.actor)?;
    if !allowed(&caller.actor, Action::AssignCases) {
        return Err(crate::server::caller::forbidden());
    }
    let mut problems = Vec::new();
    let mut targets: Vec<Uuid> = Vec::new();
    if !reference.trim().is_empty() {
        targets.push(visible_case(pool, &caller.actor, reference).await?.id);
    } else {
        for id in ids {
            match Uuid::parse_str(id.trim()) {
                Ok(id) if !targets.contains(&id) => targets.push(id),
                Ok(_) => {}
                Err(_) => return Err(AppError::not_found()),
            }
        }
        if targets.is_empty() {
            problems.push(field(lang, "ids", Msg::CwNoCasesChosen));
        }
    }
    let target_user = Uuid::parse_str(assignee.trim()).ok();
    let target_name = match target_user {
        Some(id) => repo::assignable(pool, id).await?,
        None => None,
    };
    if target_name.is_none() {
        problems.push(field(lang, "assignee", Msg::CwAssigneeInvalid));
    }
    let reason = match text(lang, "reason", reason, Msg::CwReasonMissing) {
        Ok(r) => r,
        Err(f) => {
            problems.push(f);
            String::new()
        }
    };
    if !problems.is_empty() {
        return Err(AppError::fields(problems));
    }
    let (Some(target_user), Some(target_name)) = (target_user, target_name) else {
        return Err(AppError::fields(problems));
    };
    let mut tx = pool.begin().await?;
    let mut done = 0;
    for id in targets {
        let Some(found) = cases_repo::find(&mut *tx, id).await? else {
            return Err(AppError::not_found());
        };
        if found.state == CaseState::Draft {
            return Err(AppError::not_found());
        }
        let row = cases_repo::lock(&mut tx, id).await?;
        let facts = cases_repo::facts(&mut *tx, row.id).await?;
        let next = next_state(row.kind, row.state, facts, Step::Take)
            .map_err(|_| AppError::invalid(fmt::cw_cannot_assign(lang, &row.reference)))?;
        if row.assignee_id == Some(target_user) {
            continue;
        }
        let previous = match row.assignee_id {
            Some(p) => repo::user_name(&mut *tx, p).await?,
            None => None,
        };
        cases_repo::set_assignee(&mut tx, row.id, Some(target_user)).await?;
        if next != row.state {
            cases_repo::set_state(&mut tx, row.id, next).await?;
        }
        cases_repo::insert_event(
            &mut tx,
            row.id,
            EventKind::Assigned,
            &caller.actor,
            json!({
                "assignee_id": target_user,
                "assignee": target_name,
                "previous_id": row.assignee_id,
                "previous": previous,
                "reason": reason,
            }),
        )
        .await?;
        done += 1;
    }
    tx.commit().await?;
    Ok(done)
}

/// Issues a request for information on a case in progress or under review: the grounds, the
/// document types asked for and the due date in working days; the case then awaits the trader.
#[allow(clippy::too_many_arguments)]
pub async fn issue_request(
    pool: &PgPool,
    settings: &Settings,
    caller: &Caller,
    reference: &str,
    grounds: &str,
    types: &[String],
    key: &str,
) -> Result<String, AppError> {
    let lang = caller.lang;
    let row = visible_case(pool, &caller.actor, reference).await?;
    may_work(&caller.actor, &row)?;
    let mut problems = Vec::new();
    let grounds = text(lang, "grounds", grounds, Msg::CwGroundsMissing)
        .map_err(|f| problems.push(f))
        .ok();
    let types = doc_types(lang, types).map_err(|f| problems.push(f)).ok();
    let (Some(grounds), Some(types)) = (grounds, types) else {
        return Err(AppError::fields(problems));
    };
    let key = client_key(key);
    let calendar = calendar(pool).await?;
    let today = settings.cases.today();
    let period = settings.cases.request_period_days;
    let due = calendar.add_working_days(today, period);

    let (mut tx, row, facts) = lock_for_work(pool, caller, row.id).await?;
    if cases_repo::message_by_key(&mut *tx, row.id, key)
        .await?
        .is_some()
    {
        return Ok(row.reference);
    }
    let next =
        next_state(row.kind, row.state, facts, Step::IssueRequest).map_err(|r| refused(lang, r))?;
    let Some(message_id) = cases_repo::insert_message(
        &mut tx,
        &NewMessage {
            case_id: row.id,
            side: crate::domain::cases::Side::Customs,
            purpose: "request",
            author_id: caller.actor.user_id,
            author_org: caller.actor.org_id,
            acting_for: None,
            body: &grounds,
            sent: true,
            client_key: key,
        },
    )
    .await?
    else {
        return Ok(row.reference);
    };
    let codes: Vec<String> = types.iter().map(|d| d.code().to_string()).collect();
    cases_repo::insert_request(
        &mut tx,
        &NewRequest {
            case_id: row.id,
            issued_by: caller.actor.user_id,
            grounds: &grounds,
            requested_types: &codes,
            period_days: period,
            due_on: due,
        },
    )
    .await?;
    cases_repo::set_state_and_clock(
        &mut tx,
        row.id,
        next,
        Some(due),
        row.paused_days,
        Some(calendar.filing_day(today)),
    )
    .await?;
    let detail = json!({ "due_on": due, "doc_types": codes, "period_days": period, "message_id": message_id });
    finish_step(
        tx,
        settings,
        caller,
        &row,
        EventKind::RequestIssued,
        detail,
        true,
    )
    .await
}

/// The new-request form as posted.
#[derive(Clone, Copy, Debug)]
pub struct OpenRequestForm<'a> {
    pub assessment: &'a str,
    pub declaration: &'a str,
    pub importer_tax_id: &'a str,
    pub subject: &'a str,
    pub grounds: &'a str,
    pub doc_types: &'a [String],
    pub client_key: &'a str,
}

/// Opens a new case of kind request, addressed to the importer of a visible assessment, or of
/// a declaration (by the importer's RUC); assigned to the opener, awaiting the trader from now.
/// The same form posted twice opens one case.
pub async fn open_request(
    pool: &PgPool,
    settings: &Settings,
    caller: &Caller,
    form: &OpenRequestForm<'_>,
) -> Result<String, AppError> {
    let lang = caller.lang;
    customs_reader(&caller.actor)?;
    if !allowed(&caller.actor, Action::OpenCases) {
        return Err(crate::server::caller::forbidden());
    }
    let key = client_key(form.client_key);
    if let Some(reference) = repo::case_by_opening_key(pool, key).await? {
        return Ok(reference);
    }
    let mut problems = Vec::new();
    let declaration = form.declaration.trim();
    if declaration.chars().count() > 40 {
        problems.push(field(lang, "declaration", Msg::CwDeclarationTooLong));
    }
    let target = if !form.assessment.trim().is_empty() {
        let found = match crate::domain::readable_ref::parse(form.assessment) {
            Some(reference) => repo::assessment_target(pool, &reference).await?,
            None => None,
        };
        match found {
            Some(target) if target.visible => Some(target),
            _ => {
                problems.push(field(lang, "assessment", Msg::CwAssessmentNotFound));
                None
            }
        }
    } else {
        if declaration.is_empty() {
            problems.push(field(lang, "declaration", Msg::CwDeclarationMissing));
        }
        match TaxId::parse(TaxIdScheme::Ruc, form.importer_tax_id) {
            Err(_) => {
                problems.push(field(lang, "importer_tax_id", Msg::CwTaxIdInvalid));
                None
            }
            Ok(tax_id) => match repo::importer_by_tax_id(pool, tax_id.as_str()).await? {
                Some(target) => Some(target),
                None => {
                    problems.push(field(lang, "importer_tax_id", Msg::CwImporterNotFound));
                    None
                }
            },
        }
    };
    let subject = form.subject.trim();
    if subject.is_empty() {
        problems.push(field(lang, "subject", Msg::CwSubjectMissing));
    } else if subject.chars().count() > 200 {
        problems.push(field(lang, "subject", Msg::CwSubjectTooLong));
    }
    let grounds = text(lang, "grounds", form.grounds, Msg::CwGroundsMissing)
        .map_err(|f| problems.push(f))
        .ok();
    let types = doc_types(lang, form.doc_types)
        .map_err(|f| problems.push(f))
        .ok();
    let (Some(target), Some(grounds), Some(types), true) =
        (target, grounds, types, problems.is_empty())
    else {
        return Err(AppError::fields(problems));
    };
    let calendar = calendar(pool).await?;
    let today = settings.cases.today();
    let period = settings.cases.request_period_days;
    let due = calendar.add_working_days(today, period);
    let reference = crate::domain::readable_ref::case_from_random(rand::random());
    let case_id = Uuid::new_v4();
    let codes: Vec<String> = types.iter().map(|d| d.code().to_string()).collect();

    let mut tx = pool.begin().await?;
    cases_repo::insert_case(
        &mut tx,
        &NewCase {
            id: case_id,
            reference: &reference,
            kind: CaseKind::Request,
            state: CaseState::AwaitingTrader,
            importer_id: target.importer_id,
            broker_id: target.broker_id,
            assessment_id: target.assessment_id,
            declaration_ref: declaration,
            subject,
            category: REQUEST_CATEGORY,
            created_by: caller.actor.user_id,
            sent: true,
            due_on: Some(due),
            assignee_id: Some(caller.actor.user_id),
            awaiting_since: Some(calendar.filing_day(today)),
        },
    )
    .await?;
    let Some(message_id) = cases_repo::insert_message(
        &mut tx,
        &NewMessage {
            case_id,
            side: crate::domain::cases::Side::Customs,
            purpose: "request",
            author_id: caller.actor.user_id,
            author_org: caller.actor.org_id,
            acting_for: None,
            body: &grounds,
            sent: true,
            client_key: key,
        },
    )
    .await?
    else {
        return Err(AppError::internal("a new case already had the message key"));
    };
    cases_repo::insert_request(
        &mut tx,
        &NewRequest {
            case_id,
            issued_by: caller.actor.user_id,
            grounds: &grounds,
            requested_types: &codes,
            period_days: period,
            due_on: due,
        },
    )
    .await?;
    let name = repo::user_name(&mut *tx, caller.actor.user_id)
        .await?
        .unwrap_or_default();
    cases_repo::insert_event(
        &mut tx,
        case_id,
        EventKind::Created,
        &caller.actor,
        json!({}),
    )
    .await?;
    cases_repo::insert_event(
        &mut tx,
        case_id,
        EventKind::Assigned,
        &caller.actor,
        json!({ "assignee_id": caller.actor.user_id, "assignee": name, "taken": true }),
    )
    .await?;
    let event = cases_repo::insert_event(
        &mut tx,
        case_id,
        EventKind::RequestIssued,
        &caller.actor,
        json!({ "due_on": due, "doc_types": codes, "period_days": period, "message_id": message_id }),
    )
    .await?;
    notify(
        &mut tx,
        &Notify {
            case_id,
            reference: &reference,
            importer_id: target.importer_id,
            broker_id: target.broker_id,
            event_id: event,
            kind: EventKind::RequestIssued,
            public_base: &settings.public_base,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(reference)
}

/// Grants the asked extension with a later due date (at most the setting's working days past
/// the current one), or refuses it with a reason.
#[allow(clippy::too_many_arguments)]
pub async fn decide_extension(
    pool: &PgPool,
    settings: &Settings,
    caller: &Caller,
    reference: &str,
    decision: &str,
    due_on: &str,
    reason: &str,
) -> Result<String, AppError> {
    let lang = caller.lang;
    let row = visible_case(pool, &caller.actor, reference).await?;
    may_work(&caller.actor, &row)?;
    let grant = match decision.trim() {
        "grant" => true,
        "refuse" => false,
        _ => {
            return Err(AppError::fields(vec![field(
                lang,
                "decision",
                Msg::CwDecisionMissing,
            )]));
        }
    };
    let calendar = calendar(pool).await?;
    let (mut tx, row, facts) = lock_for_work(pool, caller, row.id).await?;
    next_state(row.kind, row.state, facts, Step::DecideExtension).map_err(|r| refused(lang, r))?;
    let Some(request) = cases_repo::open_request(&mut *tx, row.id).await? else {
        return Err(refused(lang, StepRefused::NotNow));
    };
    let current = request.due_in_force();
    let (kind, detail) = if grant {
        let latest = calendar.add_working_days(current, settings.cases.extension_max_days);
        let until = match NaiveDate::parse_from_str(due_on.trim(), "%Y-%m-%d") {
            Err(_) => {
                return Err(AppError::fields(vec![field(
                    lang,
                    "due_on",
                    Msg::CwDueOnInvalid,
                )]));
            }
            Ok(d) if d <= current => {
                return Err(AppError::fields(vec![(
                    "due_on".into(),
                    fmt::cw_due_on_not_later(lang, current),
                )]));
            }
            Ok(d) if d > latest => {
                return Err(AppError::fields(vec![(
                    "due_on".into(),
                    fmt::cw_due_on_too_late(lang, latest),
                )]));
            }
            Ok(d) => d,
        };
        cases_repo::decide_extension(&mut tx, request.id, caller.actor.user_id, Some(until), "")
            .await?;
        repo::set_due(&mut tx, row.id, until).await?;
        let reason = reason.trim();
        (
            EventKind::ExtensionGranted,
            json!({ "due_on": until, "previous_due_on": current, "reason": reason }),
        )
    } else {
        let reason = text(lang, "reason", reason, Msg::CwRefusalMissing)
            .map_err(|f| AppError::fields(vec![f]))?;
        cases_repo::decide_extension(&mut tx, request.id, caller.actor.user_id, None, &reason)
            .await?;
        (
            EventKind::ExtensionRefused,
            json!({ "reason": reason, "due_on": current }),
        )
    };
    finish_step(tx, settings, caller, &row, kind, detail, true).await
}

/// Records the outcome in writing and closes the case: answered (a query without request),
/// doubt dispelled, or doubt confirmed with the next valuation method.
#[allow(clippy::too_many_arguments)]
pub async fn record_outcome(
    pool: &PgPool,
    settings: &Settings,
    caller: &Caller,
    reference: &str,
    outcome: &str,
    grounds: &str,
    next_method: &str,
) -> Result<String, AppError> {
    let lang = caller.lang;
    let row = visible_case(pool, &caller.actor, reference).await?;
    may_work(&caller.actor, &row)?;
    let mut problems = Vec::new();
    let outcome = Outcome::parse(outcome.trim());
    if outcome.is_none() {
        problems.push(field(lang, "outcome", Msg::CwOutcomeMissing));
    }
    let grounds = text(lang, "grounds", grounds, Msg::CwOutcomeGroundsMissing)
        .map_err(|f| problems.push(f))
        .ok();
    let method = NextMethod::parse(next_method.trim());
    if outcome == Some(Outcome::Confirmed) && method.is_none() {
        problems.push(field(lang, "next_method", Msg::CwNextMethodMissing));
    }
    let (Some(outcome), Some(grounds), true) = (outcome, grounds, problems.is_empty()) else {
        return Err(AppError::fields(problems));
    };
    let method = if outcome == Outcome::Confirmed {
        method
    } else {
        None
    };
    let calendar = calendar(pool).await?;
    let today = settings.cases.today();

    let (mut tx, row, facts) = lock_for_work(pool, caller, row.id).await?;
    match next_state(row.kind, row.state, facts, Step::Close { outcome }) {
        Ok(_) => {}
        Err(StepRefused::WrongOutcome) => {
            return Err(AppError::fields(vec![field(
                lang,
                "outcome",
                Msg::CwWrongOutcome,
            )]));
        }
        Err(r) => return Err(refused(lang, r)),
    }
    let on_time = row.due_on.is_none_or(|due| calendar.on_time(today, due));
    cases_repo::close(
        &mut tx,
        row.id,
        outcome.code(),
        &grounds,
        method.map(|m| m.code()).unwrap_or(""),
        on_time,
    )
    .await?;
    let detail = json!({
        "outcome": outcome.code(),
        "next_method": method.map(|m| m.code()),
        "on_time": on_time,
    });
    finish_step(tx, settings, caller, &row, EventKind::Outcome, detail, true).await
}

/// Whether a case closed at `closed_at` may still be reopened `today` (calendar days).
pub fn within_reopen_period(
    settings: &Settings,
    closed_at: Option<DateTime<Utc>>,
    today: NaiveDate,
) -> bool {
    closed_at.is_some_and(|at| {
        (today - settings.cases.local_date(at)).num_days() <= i64::from(settings.cases.reopen_days)
    })
}

/// Reopens a closed case within the reopening period, with a reason: in progress again, the
/// outcome cleared, a new customs response target.
pub async fn reopen(
    pool: &PgPool,
    settings: &Settings,
    caller: &Caller,
    reference: &str,
    reason: &str,
) -> Result<String, AppError> {
    let lang = caller.lang;
    let row = visible_case(pool, &caller.actor, reference).await?;
    may_work(&caller.actor, &row)?;
    let reason = text(lang, "reason", reason, Msg::CwReasonMissing)
        .map_err(|f| AppError::fields(vec![f]))?;
    let calendar = calendar(pool).await?;
    let today = settings.cases.today();
    let (mut tx, row, facts) = lock_for_work(pool, caller, row.id).await?;
    let within_period = within_reopen_period(settings, row.closed_at, today);
    next_state(row.kind, row.state, facts, Step::Reopen { within_period })
        .map_err(|r| refused(lang, r))?;
    let due = calendar.add_working_days(today, settings.cases.response_days(row.category));
    repo::reopen(&mut tx, row.id, due).await?;
    let detail = json!({ "reason": reason, "due_on": due });
    finish_step(
        tx,
        settings,
        caller,
        &row,
        EventKind::Reopened,
        detail,
        true,
    )
    .await
}

fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// The queue's filters parsed; values that mean nothing filter nothing.
pub fn parse_filter(filter: &QueueFilter) -> (Tab, QueueQuery, bool, u32) {
    let tab = match filter.tab.as_str() {
        "mine" => Tab::Mine,
        "all" => Tab::All,
        _ => Tab::Unassigned,
    };
    let tariff: String = filter
        .tariff
        .chars()
        .filter(|c| c.is_ascii_digit())
        .collect();
    let origin = filter.origin.trim().to_ascii_uppercase();
    let query = QueueQuery {
        state: CaseState::parse(filter.state.trim())
            .filter(|s| *s != CaseState::Draft)
            .map(|s| s.code().to_string()),
        kind: CaseKind::parse(filter.kind.trim()).map(|k| k.code().to_string()),
        assignee: match filter.assignee.trim() {
            "none" => Some(None),
            other => Uuid::parse_str(other).ok().map(Some),
        },
        tariff: (!tariff.is_empty()).then_some(tariff),
        origin: (origin.len() == 2 && origin.chars().all(|c| c.is_ascii_alphabetic()))
            .then_some(origin),
        importer: non_empty(&filter.importer).map(|s| s.chars().take(200).collect()),
        broker: non_empty(&filter.broker).map(|s| s.chars().take(200).collect()),
        level: Level::parse(filter.level.trim()).map(|l| l.code().to_string()),
        overdue: filter.overdue == "yes",
        words: non_empty(&filter.words).map(|s| s.chars().take(200).collect()),
    };
    let page = filter
        .page
        .trim()
        .parse::<u32>()
        .unwrap_or(1)
        .clamp(1, 100_000);
    (tab, query, filter.sort == "age", page)
}

/// The officers' queue: one tab's page and the counts of the three tabs under the filters.
pub async fn queue(
    pool: &PgPool,
    settings: &Settings,
    caller: &Caller,
    filter: &QueueFilter,
) -> Result<QueueView, AppError> {
    customs_reader(&caller.actor)?;
    let (tab, query, by_age, page) = parse_filter(filter);
    let me = caller.actor.user_id;
    let today = settings.cases.today();
    let limit = QUEUE_PAGE_ROWS as i64;
    let offset = i64::from(page - 1) * limit;
    let (counts, rows) = tokio::try_join!(
        repo::tab_counts(pool, &query, me, today),
        repo::queue(pool, &query, tab, me, today, by_age, limit + 1, offset),
    )?;
    let calendar = calendar(pool).await?;
    let has_next = rows.len() > QUEUE_PAGE_ROWS;
    let rows = rows
        .into_iter()
        .take(QUEUE_PAGE_ROWS)
        .map(|r| summary(settings, &calendar, today, r))
        .collect();
    let can_assign = allowed(&caller.actor, Action::AssignCases);
    let staff = staff(pool).await?;
    Ok(QueueView {
        tab: match tab {
            Tab::Unassigned => "unassigned",
            Tab::Mine => "mine",
            Tab::All => "all",
        }
        .to_string(),
        unassigned: counts.0,
        mine: counts.1,
        all: counts.2,
        rows,
        page,
        has_next,
        can_assign,
        can_open: allowed(&caller.actor, Action::OpenCases),
        staff,
    })
}

async fn staff(pool: &PgPool) -> Result<Vec<StaffChoice>, AppError> {
    Ok(repo::assignable_staff(pool)
        .await?
        .into_iter()
        .map(|(id, name)| StaffChoice { id, name })
        .collect())
}

/// The working-day clock of a case from its columns.
pub fn clock(
    settings: &Settings,
    sent_at: Option<DateTime<Utc>>,
    paused_days: i32,
    awaiting_since: Option<NaiveDate>,
    stopped_at: Option<DateTime<Utc>>,
) -> Clock {
    Clock {
        sent_on: sent_at.map(|at| settings.cases.local_date(at)),
        paused_days: paused_days.max(0) as u32,
        awaiting_since,
        stopped_on: stopped_at.map(|at| settings.cases.local_date(at)),
    }
}

fn summary(
    settings: &Settings,
    calendar: &Calendar,
    today: NaiveDate,
    r: repo::QueueRow,
) -> CaseSummary {
    let state = CaseState::parse(&r.state).unwrap_or(CaseState::Submitted);
    let stopped = match state {
        CaseState::Closed => r.closed_at,
        CaseState::Withdrawn => Some(r.last_activity_at),
        _ => None,
    };
    let working_days = clock(
        settings,
        r.sent_at,
        r.paused_days,
        r.awaiting_since,
        stopped,
    )
    .elapsed(calendar, today);
    CaseSummary {
        id: r.id,
        reference: r.reference,
        kind: CaseKind::parse(&r.kind).unwrap_or(CaseKind::Query),
        state,
        subject: r.subject,
        category: QueryCategory::parse(&r.category).unwrap_or(REQUEST_CATEGORY),
        importer_name: r.importer_name,
        importer_tax_id: r.importer_tax_id,
        broker_name: r.broker_name,
        assessment_reference: r.assessment_reference,
        declaration_ref: r.declaration_ref,
        tariff_code: r.tariff_code,
        origin: r.origin,
        level: Level::parse(&r.level),
        assignee_name: r.assignee_name,
        created_at: r.created_at,
        working_days,
        due_on: r.due_on,
        overdue: state.is_open() && r.due_on.is_some_and(|d| d < today),
        unread: r.unread.max(0) as u32,
    }
}

/// The customs panel's facts: who may be assigned, the due date rule, the latest extension.
pub async fn panel_info(
    pool: &PgPool,
    settings: &Settings,
    caller: &Caller,
    reference: &str,
) -> Result<Option<PanelInfo>, AppError> {
    if caller.actor.org_kind != OrgKind::Customs || !allowed(&caller.actor, Action::ReadCases) {
        return Ok(None);
    }
    let row = visible_case(pool, &caller.actor, reference).await?;
    let calendar = calendar(pool).await?;
    let today = settings.cases.today();
    let extension_latest = cases_repo::open_request(pool, row.id)
        .await?
        .map(|r| calendar.add_working_days(r.due_in_force(), settings.cases.extension_max_days));
    let staff = if allowed(&caller.actor, Action::AssignCases) {
        staff(pool).await?
    } else {
        Vec::new()
    };
    Ok(Some(PanelInfo {
        staff,
        period_days: settings.cases.request_period_days,
        due_if_issued_today: calendar.add_working_days(today, settings.cases.request_period_days),
        extension_max_days: settings.cases.extension_max_days,
        extension_latest,
        reopen_days: settings.cases.reopen_days,
        client_key: Uuid::new_v4().to_string(),
    }))
}

/// The new-request form's facts; the assessment named when customs may open it.
pub async fn request_form(
    pool: &PgPool,
    settings: &Settings,
    caller: &Caller,
    assessment: &str,
) -> Result<RequestFormInfo, AppError> {
    customs_reader(&caller.actor)?;
    if !allowed(&caller.actor, Action::OpenCases) {
        return Err(crate::server::caller::forbidden());
    }
    let target = match crate::domain::readable_ref::parse(assessment) {
        Some(reference) => repo::assessment_target(pool, &reference)
            .await?
            .filter(|t| t.visible)
            .map(|t| RequestTargetView {
                assessment: t.reference,
                importer_name: t.importer_name,
                importer_tax_id: t.importer_tax_id,
                tariff_code: t.tariff_code,
                origin: t.origin,
            }),
        None => None,
    };
    let calendar = calendar(pool).await?;
    Ok(RequestFormInfo {
        target,
        period_days: settings.cases.request_period_days,
        due_if_issued_today: calendar
            .add_working_days(settings.cases.today(), settings.cases.request_period_days),
        client_key: Uuid::new_v4().to_string(),
    })
}

fn report_reader(actor: &Actor) -> Result<(), AppError> {
    if !allowed(actor, Action::ReadCaseReports) {
        return Err(crate::server::caller::forbidden());
    }
    Ok(())
}

fn local_midnight(settings: &Settings, day: NaiveDate) -> DateTime<Utc> {
    use chrono::TimeZone;
    let naive = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    settings
        .cases
        .time_zone
        .from_local_datetime(&naive)
        .earliest()
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_else(|| naive.and_utc())
}

/// The median of working-day counts, as `4` or `4.5`.
pub fn median(mut days: Vec<u32>) -> Option<String> {
    if days.is_empty() {
        return None;
    }
    days.sort_unstable();
    let n = days.len();
    let twice = if n % 2 == 1 {
        2 * days[n / 2]
    } else {
        days[n / 2 - 1] + days[n / 2]
    };
    Some(if twice % 2 == 0 {
        (twice / 2).to_string()
    } else {
        format!("{}.5", twice / 2)
    })
}

/// The reports over the cases sent between the filter's dates (local, both included).
pub async fn reports(
    pool: &PgPool,
    settings: &Settings,
    actor: &Actor,
    filter: &ReportFilter,
    lang: Lang,
) -> Result<Reports, AppError> {
    report_reader(actor)?;
    let today = settings.cases.today();
    let parse = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d");
    let mut problems = Vec::new();
    let to = if filter.to.trim().is_empty() {
        today
    } else {
        parse(&filter.to).unwrap_or_else(|_| {
            problems.push(field(lang, "to", Msg::CwDateInvalid));
            today
        })
    };
    let from = if filter.from.trim().is_empty() {
        to.checked_sub_days(Days::new(90)).unwrap_or(to)
    } else {
        parse(&filter.from).unwrap_or_else(|_| {
            problems.push(field(lang, "from", Msg::CwDateInvalid));
            to
        })
    };
    if problems.is_empty() && from > to {
        problems.push(field(lang, "to", Msg::CwDateRangeInvalid));
    }
    if !problems.is_empty() {
        return Err(AppError::fields(problems));
    }
    let start = local_midnight(settings, from);
    let end = local_midnight(settings, to.checked_add_days(Days::new(1)).unwrap_or(to));
    let cases = repo::report_cases(pool, start, end).await?;
    let (requests_answered, answered_late) = repo::requests_answered(pool, start, end).await?;
    let calendar = calendar(pool).await?;

    let mut by_state: Vec<(CaseState, i64)> = CaseState::ALL
        .iter()
        .filter(|s| **s != CaseState::Draft)
        .map(|s| (*s, 0))
        .collect();
    let mut by_assignee: BTreeMap<Option<String>, (i64, i64)> = BTreeMap::new();
    let mut by_chapter: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let mut by_origin: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let (mut closed, mut closed_on_time) = (0, 0);
    let mut days = Vec::new();
    for c in &cases {
        let state = CaseState::parse(&c.state).unwrap_or(CaseState::Submitted);
        if let Some(entry) = by_state.iter_mut().find(|(s, _)| *s == state) {
            entry.1 += 1;
        }
        let person = by_assignee.entry(c.assignee_name.clone()).or_default();
        if state.is_open() {
            person.0 += 1;
        } else if state == CaseState::Closed {
            person.1 += 1;
        }
        if state != CaseState::Closed {
            continue;
        }
        closed += 1;
        if c.closed_on_time == Some(true) {
            closed_on_time += 1;
        }
        let stopped = c
            .closed_at
            .map(|at| settings.cases.local_date(at))
            .unwrap_or(today);
        days.push(
            clock(settings, c.sent_at, c.paused_days, None, c.closed_at)
                .elapsed(&calendar, stopped),
        );
        let outcome = c.outcome.as_deref().and_then(Outcome::parse);
        let (d, k) = match outcome {
            Some(Outcome::Dispelled) => (1, 0),
            Some(Outcome::Confirmed) => (0, 1),
            _ => continue,
        };
        let chapter: String = c.tariff_code.chars().take(2).collect();
        let chapter = if chapter.is_empty() {
            "—".to_string()
        } else {
            chapter
        };
        let origin = if c.origin.is_empty() {
            "—".to_string()
        } else {
            c.origin.clone()
        };
        for (map, key) in [(&mut by_chapter, chapter), (&mut by_origin, origin)] {
            let e = map.entry(key).or_default();
            e.0 += d;
            e.1 += k;
        }
    }
    let rows = |m: BTreeMap<String, (i64, i64)>| {
        m.into_iter()
            .map(|(key, (dispelled, confirmed))| OutcomeRow {
                key,
                dispelled,
                confirmed,
            })
            .collect()
    };
    Ok(Reports {
        from,
        to,
        by_state,
        by_assignee: by_assignee
            .into_iter()
            .map(|(name, (open, closed))| AssigneeRow { name, open, closed })
            .collect(),
        closed,
        closed_on_time,
        median_days: median(days),
        requests_answered,
        answered_late,
        by_chapter: rows(by_chapter),
        by_origin: rows(by_origin),
    })
}

/// The reports' tables as one CSV file, each table after a line with its title; cells that a
/// spreadsheet would run as a formula start with an apostrophe.
pub fn reports_csv(lang: Lang, reports: &Reports) -> Result<String, AppError> {
    use crate::labels::case_state_label;
    use crate::server::spreadsheet::inert;
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let mut row = |cells: Vec<String>| -> Result<(), AppError> {
        let cells: Vec<String> = cells.iter().map(|c| inert(c)).collect();
        w.write_record(&cells).map_err(AppError::internal)
    };
    row(vec![fmt::cw_reports_range(lang, reports.from, reports.to)])?;
    row(vec![t(lang, Msg::CwReportByState).into()])?;
    row(vec![
        t(lang, Msg::CwColState).into(),
        t(lang, Msg::CwColCases).into(),
    ])?;
    for (state, n) in &reports.by_state {
        row(vec![
            t(lang, case_state_label(*state)).into(),
            n.to_string(),
        ])?;
    }
    row(vec![t(lang, Msg::CwReportByAssignee).into()])?;
    row(vec![
        t(lang, Msg::CwColAssignee).into(),
        t(lang, Msg::CwColOpen).into(),
        t(lang, Msg::CwColClosed).into(),
    ])?;
    for a in &reports.by_assignee {
        row(vec![
            a.name
                .clone()
                .unwrap_or_else(|| t(lang, Msg::CwUnassigned).into()),
            a.open.to_string(),
            a.closed.to_string(),
        ])?;
    }
    row(vec![t(lang, Msg::CwReportFigures).into()])?;
    row(vec![
        t(lang, Msg::CwMedianDays).into(),
        reports.median_days.clone().unwrap_or_default(),
    ])?;
    row(vec![
        t(lang, Msg::CwClosedCount).into(),
        reports.closed.to_string(),
    ])?;
    row(vec![
        t(lang, Msg::CwClosedOnTime).into(),
        reports.closed_on_time.to_string(),
    ])?;
    row(vec![
        t(lang, Msg::CwRequestsAnswered).into(),
        reports.requests_answered.to_string(),
    ])?;
    row(vec![
        t(lang, Msg::CwAnsweredLate).into(),
        reports.answered_late.to_string(),
    ])?;
    for (title, col, rows) in [
        (
            Msg::CwReportByChapter,
            Msg::CwColChapter,
            &reports.by_chapter,
        ),
        (Msg::CwReportByOrigin, Msg::CwColOrigin, &reports.by_origin),
    ] {
        row(vec![t(lang, title).into()])?;
        row(vec![
            t(lang, col).into(),
            t(lang, Msg::CwColDispelled).into(),
            t(lang, Msg::CwColConfirmed).into(),
        ])?;
        for r in rows {
            row(vec![
                r.key.clone(),
                r.dispelled.to_string(),
                r.confirmed.to_string(),
            ])?;
        }
    }
    let bytes = w.into_inner().map_err(AppError::internal)?;
    String::from_utf8(bytes).map_err(AppError::internal)
}

/// The holidays, for customs staff; whether the caller may change them.
pub async fn holiday_list(pool: &PgPool, actor: &Actor) -> Result<HolidayList, AppError> {
    if actor.org_kind != OrgKind::Customs {
        return Err(crate::server::caller::forbidden());
    }
    Ok(HolidayList {
        rows: repo::holiday_rows(pool)
            .await?
            .into_iter()
            .map(|(day, name)| HolidayRow { day, name })
            .collect(),
        can_manage: allowed(actor, Action::ManageHolidays),
    })
}

fn holiday_manager(actor: &Actor) -> Result<(), AppError> {
    if !allowed(actor, Action::ManageHolidays) {
        return Err(crate::server::caller::forbidden());
    }
    Ok(())
}

/// Adds a holiday (audited); field errors on `day` and `name`.
pub async fn add_holiday(
    pool: &PgPool,
    caller: &Caller,
    day: &str,
    name: &str,
) -> Result<(), AppError> {
    let lang = caller.lang;
    holiday_manager(&caller.actor)?;
    let mut problems = Vec::new();
    let day = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
        .map_err(|_| problems.push(field(lang, "day", Msg::CwDateInvalid)))
        .ok();
    let name = name.trim();
    if name.is_empty() {
        problems.push(field(lang, "name", Msg::CwHolidayNameMissing));
    } else if name.chars().count() > 120 {
        problems.push(field(lang, "name", Msg::CwHolidayNameTooLong));
    }
    let (Some(day), true) = (day, problems.is_empty()) else {
        return Err(AppError::fields(problems));
    };
    let mut tx = pool.begin().await?;
    if !repo::add_holiday(&mut *tx, day, name, caller.actor.user_id).await? {
        return Err(AppError::fields(vec![field(
            lang,
            "day",
            Msg::CwHolidayExists,
        )]));
    }
    audit::record(
        &mut *tx,
        AuditEvent::new("holiday_added", &caller.client_addr)
            .actor(Some(caller.actor.user_id))
            .subject(day.to_string())
            .detail(json!({ "name": name })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a holiday (audited).
pub async fn remove_holiday(pool: &PgPool, caller: &Caller, day: &str) -> Result<(), AppError> {
    holiday_manager(&caller.actor)?;
    let Ok(day) = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d") else {
        return Err(AppError::not_found());
    };
    let mut tx = pool.begin().await?;
    let Some(name) = repo::remove_holiday(&mut *tx, day).await? else {
        return Err(AppError::not_found());
    };
    audit::record(
        &mut *tx,
        AuditEvent::new("holiday_removed", &caller.client_addr)
            .actor(Some(caller.actor.user_id))
            .subject(day.to_string())
            .detail(json!({ "name": name })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_an_even_count_may_end_in_a_half() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3, 1, 2]), Some("2".into()));
        assert_eq!(median(vec![4, 1, 2, 3]), Some("2.5".into()));
    }

    #[test]
    fn unknown_filter_values_filter_nothing() {
        let (tab, q, by_age, page) = parse_filter(&QueueFilter {
            tab: "mine".into(),
            state: "draft".into(),
            tariff: "0703.20".into(),
            origin: "cn".into(),
            page: "0".into(),
            ..QueueFilter::default()
        });
        assert_eq!(tab, Tab::Mine);
        assert_eq!(q.state, None);
        assert_eq!(q.tariff.as_deref(), Some("070320"));
        assert_eq!(q.origin.as_deref(), Some("CN"));
        assert!(!by_age);
        assert_eq!(page, 1);
    }
}
