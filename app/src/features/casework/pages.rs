//! The officers' queue, the request-for-information form, the reports, the holidays page and the customs panel of the case page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    AddHoliday, AssignCases, DecideExtension, HolidayList, IssueRequest, OpenRequest, PanelInfo,
    QueueFilter, QueueView, RecordOutcome, ReleaseCase, RemoveHoliday, ReopenCase, ReportFilter,
    Reports, RequestFormInfo, StaffChoice, TakeCase, load_holidays, load_queue, load_reports,
    request_form,
};
use crate::components::form::{ErrorSummary, FieldErrors, Select, TextField, errors_of};
use crate::components::load::load_error;
use crate::components::refresh::{Refresh, refresh_on_success};
use crate::components::table::{TableHead, headings};
use crate::context::use_lang;
use crate::domain::cases::{CaseKind, CaseState, NextMethod, Outcome};
use crate::domain::documents::DocType;
use crate::domain::engine::Level;
use crate::error::AppError;
use crate::features::cases::CaseView;
use crate::i18n::{Lang, Msg, fmt, t};
use crate::labels::{
    case_kind_label, case_state_label, doc_type_label, level_label, next_method_label,
    outcome_label,
};

/// Percent-encodes a query value.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn filter_from_query(query: &leptos_router::params::ParamsMap) -> QueueFilter {
    let get = |name: &str| query.get(name).unwrap_or_default();
    QueueFilter {
        tab: get("tab"),
        state: get("state"),
        kind: get("kind"),
        assignee: get("assignee"),
        tariff: get("tariff"),
        origin: get("origin"),
        importer: get("importer"),
        broker: get("broker"),
        level: get("level"),
        overdue: get("overdue"),
        words: get("words"),
        sort: get("sort"),
        page: get("page"),
    }
}

/// The queue's address with `tab` and `page` and the filters of `f`.
fn queue_href(f: &QueueFilter, tab: &str, page: u32) -> String {
    let mut parts = vec![format!("tab={}", encode(tab))];
    for (name, value) in [
        ("state", &f.state),
        ("kind", &f.kind),
        ("assignee", &f.assignee),
        ("tariff", &f.tariff),
        ("origin", &f.origin),
        ("importer", &f.importer),
        ("broker", &f.broker),
        ("level", &f.level),
        ("overdue", &f.overdue),
        ("words", &f.words),
        ("sort", &f.sort),
    ] {
        if !value.trim().is_empty() {
            parts.push(format!("{name}={}", encode(value.trim())));
        }
    }
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    format!("/customs/cases?{}", parts.join("&"))
}

/// A labelled textarea with hint and error; `id` differs from `name` so several forms of a page
/// may share a name.
#[component]
fn TextArea(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(default = 4)] rows: u32,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let has_hint = hint.is_some();
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let ids: Vec<&str> = [
                has_hint.then_some(hint_id.as_str()),
                error.get().is_some().then_some(error_id.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class=move || if error.get().is_some() { "form-group form-group--error" } else { "form-group" }>
            <label class="label" for=id>{label}</label>
            {hint.map(|h| view! { <div class="hint" id=hint_id.clone()>{h}</div> })}
            {move || error.get().map(|e| view! { <p class="error-message" id=error_id.clone()>{e}</p> })}
            <textarea
                class="textarea"
                id=id
                name=name
                rows=rows
                maxlength="10000"
                aria-describedby=described
                aria-invalid=move || error.get().is_some().then_some("true")
            ></textarea>
        </div>
    }
}

/// A form's field errors with the field names turned into this form's field ids
/// (`<prefix>-<name>`), so the summary's links land on them.
fn prefixed(errors: Signal<FieldErrors>, prefix: &'static str) -> Signal<FieldErrors> {
    Signal::derive(move || {
        errors
            .get()
            .into_iter()
            .map(|(field, message)| {
                if field == "main-content" {
                    (field, message)
                } else {
                    (format!("{prefix}-{field}"), message)
                }
            })
            .collect()
    })
}

fn error_of(errors: Signal<FieldErrors>, id: String) -> Signal<Option<String>> {
    Signal::derive(move || {
        errors
            .get()
            .into_iter()
            .find(|(f, _)| *f == id)
            .map(|(_, m)| m)
    })
}

/// The document type checkboxes (`doc_types[]`) of a request form.
#[component]
fn DocTypeBoxes(id: &'static str, #[prop(into)] error: Signal<Option<String>>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class=move || if error.get().is_some() { "form-group form-group--error" } else { "form-group" }>
            <fieldset class="fieldset" id=id>
                <legend class="label">{t(lang, Msg::CwDocTypesLegend)}</legend>
                {move || error.get().map(|e| view! { <p class="error-message">{e}</p> })}
                <div class="radios">
                    {DocType::ALL
                        .into_iter()
                        .map(|d| {
                            let option_id = format!("{id}-{}", d.code());
                            view! {
                                <div class="radio">
                                    <input type="checkbox" id=option_id.clone() name="doc_types[]" value=d.code() />
                                    <label for=option_id>{t(lang, doc_type_label(d))}</label>
                                </div>
                            }
                        })
                        .collect_view()}
                </div>
            </fieldset>
        </div>
    }
}

/// `/customs/cases`: the officers' queue.
#[component]
pub fn QueuePage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let refresh = Refresh::provide();
    let queue = Resource::new_blocking(
        move || (query.with(filter_from_query), refresh.get()),
        |(filter, _)| load_queue(filter),
    );
    view! {
        <Title text=t(lang, Msg::CwQueueTitle) />
        <h1 class="heading-xl">{t(lang, Msg::CwQueueTitle)}</h1>
        <Transition>
            {move || Suspend::new(async move {
                let filter = query.with_untracked(filter_from_query);
                match queue.await {
                    Err(e) => load_error(lang, e),
                    Ok(view) => view! { <QueueBody view filter /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn QueueBody(view: QueueView, filter: QueueFilter) -> impl IntoView {
    let lang = use_lang();
    let tabs = [
        ("unassigned", fmt::cw_tab_unassigned(lang, view.unassigned)),
        ("mine", fmt::cw_tab_mine(lang, view.mine)),
        ("all", fmt::cw_tab_all(lang, view.all)),
    ];
    let current = view.tab.clone();
    let prev = (view.page > 1).then(|| queue_href(&filter, &current, view.page - 1));
    let next = view
        .has_next
        .then(|| queue_href(&filter, &current, view.page + 1));
    view! {
        <ul class="list" id="customs-links">
            {view.can_open.then(|| view! { <li><a href="/customs/cases/new">{t(lang, Msg::CwNewRequestLink)}</a></li> })}
            <li><a href="/customs/reports">{t(lang, Msg::CwReportsTitle)}</a></li>
            <li><a href="/customs/holidays">{t(lang, Msg::CwHolidaysTitle)}</a></li>
        </ul>
        <nav aria-label=t(lang, Msg::CwTabsLabel) id="queue-tabs">
            <ul class="list pagination">
                {tabs
                    .into_iter()
                    .map(|(tab, label)| {
                        let href = queue_href(&filter, tab, 1);
                        let here = tab == current;
                        view! {
                            <li>
                                <a href=href id=format!("tab-{tab}") aria-current=here.then_some("page")>
                                    {if here { view! { <strong>{label}</strong> }.into_any() } else { label.into_any() }}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
        <QueueFilterForm filter=filter.clone() staff=view.staff.clone() />
        <QueueTable view=view.clone() filter=filter.clone() />
        <nav class="pagination" aria-label=t(lang, Msg::CwPagesLabel)>
            {prev.map(|href| view! { <a href=href rel="prev" id="page-prev">{t(lang, Msg::CwPrevPage)}</a> })}
            <span>{fmt::cw_page_number(lang, view.page)}</span>
            {next.map(|href| view! { <a href=href rel="next" id="page-next">{t(lang, Msg::CwNextPage)}</a> })}
        </nav>
    }
}

#[component]
fn QueueFilterForm(filter: QueueFilter, staff: Vec<StaffChoice>) -> impl IntoView {
    let lang = use_lang();
    let states = CaseState::ALL
        .iter()
        .filter(|s| **s != CaseState::Draft)
        .map(|s| {
            (
                s.code().to_string(),
                t(lang, case_state_label(*s)).to_string(),
            )
        })
        .collect();
    let kinds = CaseKind::ALL
        .iter()
        .map(|k| {
            (
                k.code().to_string(),
                t(lang, case_kind_label(*k)).to_string(),
            )
        })
        .collect();
    let levels = Level::ALL
        .into_iter()
        .map(|l| (l.code().to_string(), t(lang, level_label(l)).to_string()))
        .collect();
    let assignees = std::iter::once(("none".to_string(), t(lang, Msg::CwUnassigned).to_string()))
        .chain(staff.into_iter().map(|s| (s.id.to_string(), s.name)))
        .collect();
    let sorts = vec![
        ("due".to_string(), t(lang, Msg::CwSortDue).to_string()),
        ("age".to_string(), t(lang, Msg::CwSortAge).to_string()),
    ];
    let input = |id: &'static str, name: &'static str, label: Msg, value: &str| {
        view! {
            <div class="form-group">
                <label class="label" for=id>{t(lang, label)}</label>
                <input class="input" id=id name=name type="text" autocomplete="off" value=value.to_string() />
            </div>
        }
    };
    view! {
        <form method="get" action="/customs/cases" class="filter-form no-print" id="queue-filter">
            <input type="hidden" name="tab" value=if filter.tab.is_empty() { "unassigned".to_string() } else { filter.tab.clone() } />
            <Select id="filter_state" name="state" label=t(lang, Msg::CwColState) empty=t(lang, Msg::CwAny) options=states selected=filter.state.clone() />
            <Select id="filter_kind" name="kind" label=t(lang, Msg::CwColKind) empty=t(lang, Msg::CwAny) options=kinds selected=filter.kind.clone() />
            <Select id="filter_assignee" name="assignee" label=t(lang, Msg::CwColAssignee) empty=t(lang, Msg::CwAny) options=assignees selected=filter.assignee.clone() />
            {input("filter_tariff", "tariff", Msg::CwFilterTariff, &filter.tariff)}
            {input("filter_origin", "origin", Msg::CwFilterOrigin, &filter.origin)}
            {input("filter_importer", "importer", Msg::CwFilterImporter, &filter.importer)}
            {input("filter_broker", "broker", Msg::CwFilterBroker, &filter.broker)}
            <Select id="filter_level" name="level" label=t(lang, Msg::CwFilterLevel) empty=t(lang, Msg::CwAny) options=levels selected=filter.level.clone() />
            {input("filter_words", "words", Msg::CwFilterWords, &filter.words)}
            <Select id="filter_sort" name="sort" label=t(lang, Msg::CwFilterSort) empty=t(lang, Msg::CwSortDue) options=sorts selected=filter.sort.clone() />
            <div class="form-group">
                <div class="radio">
                    <input type="checkbox" id="filter_overdue" name="overdue" value="yes" checked=filter.overdue == "yes" />
                    <label for="filter_overdue">{t(lang, Msg::CwFilterOverdue)}</label>
                </div>
            </div>
            <button type="submit" class="button button--secondary">{t(lang, Msg::FilterApply)}</button>
        </form>
    }
}

#[component]
fn QueueTable(view: QueueView, filter: QueueFilter) -> impl IntoView {
    let lang = use_lang();
    if view.rows.is_empty() {
        return view! { <p class="body" id="queue-none">{t(lang, Msg::CwQueueNone)}</p> }
            .into_any();
    }
    let can_assign = view.can_assign;
    let mut columns = Vec::new();
    if can_assign {
        columns.push((t(lang, Msg::CwColSelect).to_string(), false));
    }
    columns.extend(headings(
        lang,
        &[
            (Msg::CwColReference, false),
            (Msg::CwColKind, false),
            (Msg::CwColState, false),
            (Msg::CwColImporter, false),
            (Msg::CwColAssignee, false),
            (Msg::CwColWorkingDays, true),
            (Msg::CwColDue, false),
        ],
    ));
    let rows = view
        .rows
        .iter()
        .map(|r| {
            let select_id = format!("select-{}", r.id);
            view! {
                <tr id=format!("case-{}", r.reference) data-overdue=r.overdue.to_string()>
                    {can_assign.then(|| view! {
                        <td>
                            <div class="radio">
                                <input type="checkbox" id=select_id.clone() name="ids[]" value=r.id.to_string() />
                                <label for=select_id.clone()><span class="visually-hidden">{fmt::cw_select_case(lang, &r.reference)}</span></label>
                            </div>
                        </td>
                    })}
                    <td>
                        <a href=format!("/cases/{}", r.reference) class="code">{r.reference.clone()}</a>
                        <span class="documents-table__note">{r.subject.clone()}</span>
                    </td>
                    <td>{t(lang, case_kind_label(r.kind))}</td>
                    <td>{t(lang, case_state_label(r.state))}</td>
                    <td>
                        {r.importer_name.clone()}
                        <span class="documents-table__note hint">{r.importer_tax_id.clone()}</span>
                    </td>
                    <td>{r.assignee_name.clone().unwrap_or_else(|| t(lang, Msg::CwUnassigned).to_string())}</td>
                    <td class="numeric working-days">{r.working_days}</td>
                    <td class="code">
                        {r.due_on.map(|d| d.to_string()).unwrap_or_else(|| "—".to_string())}
                        {r.overdue.then(|| view! { <span class="tag tag--missing overdue">{t(lang, Msg::CwOverdue)}</span> })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let table = view! {
        <table class="table" id="queue">
            <caption class="table__caption">{t(lang, Msg::CwQueueCaption)}</caption>
            <TableHead columns />
            <tbody>{rows}</tbody>
        </table>
    };
    if !can_assign {
        return table.into_any();
    }
    let assign = ServerAction::<AssignCases>::new();
    refresh_on_success(assign);
    let errors = prefixed(errors_of(assign.value(), lang), "bulk");
    let staff = view
        .staff
        .iter()
        .map(|s| (s.id.to_string(), s.name.clone()))
        .collect();
    let back = queue_href(&filter, &view.tab, view.page);
    view! {
        <ErrorSummary errors />
        <ActionForm action=assign attr:id="bulk-assign">
            <input type="hidden" name="back" value=back />
            {table}
            <fieldset class="fieldset" id="bulk-ids">
                <legend class="heading-m">{t(lang, Msg::CwAssignSelectedLegend)}</legend>
                <Select id="bulk-assignee" name="assignee" label=t(lang, Msg::CwAssignTo) options=staff selected=String::new() error=error_of(errors, "bulk-assignee".into()) />
                <TextArea id="bulk-reason" name="reason" label=t(lang, Msg::CwReasonLabel) error=error_of(errors, "bulk-reason".into()) rows=2 />
                <button type="submit" class="button">{t(lang, Msg::CwAssignSelectedButton)}</button>
            </fieldset>
        </ActionForm>
    }
    .into_any()
}

/// `/customs/cases/new?assessment=VAL-…`: a new request for information.
#[component]
pub fn NewRequestPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let info = Resource::new_blocking(
        move || query.with(|q| q.get("assessment").unwrap_or_default()),
        request_form,
    );
    view! {
        <Title text=t(lang, Msg::CwNewRequestTitle) />
        <h1 class="heading-xl">{t(lang, Msg::CwNewRequestTitle)}</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match info.await {
                    Err(e) => load_error(lang, e),
                    Ok(info) => view! { <NewRequestForm info /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NewRequestForm(info: RequestFormInfo) -> impl IntoView {
    let lang = use_lang();
    let open = ServerAction::<OpenRequest>::new();
    let errors = errors_of(open.value(), lang);
    let key = info.client_key.clone();
    let target = info.target.clone();
    view! {
        <p class="body">{fmt::cw_request_due_hint(lang, info.due_if_issued_today, info.period_days)}</p>
        <ErrorSummary errors />
        <ActionForm action=open attr:id="open-request">
            <input type="hidden" name="client_key" value=key />
            {match target {
                Some(t_) => view! {
                    <input type="hidden" name="assessment" value=t_.assessment.clone().unwrap_or_default() />
                    <dl class="summary-list" id="request-target">
                        <div class="summary-list__row"><dt>{t(lang, Msg::CwAssessmentLabel)}</dt><dd class="code">{t_.assessment.clone().unwrap_or_default()}</dd></div>
                        <div class="summary-list__row"><dt>{t(lang, Msg::CwColImporter)}</dt><dd>{fmt::cw_importer_with_tax_id(lang, &t_.importer_name, &t_.importer_tax_id)}</dd></div>
                        <div class="summary-list__row"><dt>{t(lang, Msg::CwFilterTariff)}</dt><dd class="code">{t_.tariff_code.clone()}</dd></div>
                        <div class="summary-list__row"><dt>{t(lang, Msg::CwFilterOrigin)}</dt><dd>{t_.origin.clone()}</dd></div>
                    </dl>
                    <TextField id="declaration" label=t(lang, Msg::CwDeclarationOptionalLabel) error=error_of(errors, "declaration".into()) />
                }
                .into_any(),
                None => view! {
                    <TextField id="assessment" label=t(lang, Msg::CwAssessmentLabel) hint=t(lang, Msg::CwAssessmentHint) error=error_of(errors, "assessment".into()) />
                    <TextField id="declaration" label=t(lang, Msg::CwDeclarationLabel) hint=t(lang, Msg::CwDeclarationHint) error=error_of(errors, "declaration".into()) />
                    <TextField id="importer_tax_id" label=t(lang, Msg::CwImporterTaxIdLabel) error=error_of(errors, "importer_tax_id".into()) input_mode="numeric" />
                }
                .into_any(),
            }}
            <TextField id="subject" label=t(lang, Msg::CwSubjectLabel) error=error_of(errors, "subject".into()) />
            <TextArea id="grounds" name="grounds" label=t(lang, Msg::CwGroundsLabel) hint=t(lang, Msg::CwGroundsHint).to_string() error=error_of(errors, "grounds".into()) rows=8 />
            <DocTypeBoxes id="doc_types" error=error_of(errors, "doc_types".into()) />
            <button type="submit" class="button">{t(lang, Msg::CwOpenRequestButton)}</button>
        </ActionForm>
    }
}

/// The customs side's actions on the case page: take, release, assign, request, extension,
/// outcome and reopen, each a plain form back to the case.
#[component]
pub fn CustomsPanel(case: CaseView, info: PanelInfo) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="panel" id="customs-panel" aria-labelledby="customs-panel-heading">
            <h2 class="heading-l" id="customs-panel-heading">{t(lang, Msg::CwPanelHeading)}</h2>
            <PanelForms case info />
        </section>
    }
}

#[component]
fn PanelForms(case: CaseView, info: PanelInfo) -> impl IntoView {
    let lang = use_lang();
    let state = case.summary.state;
    let reference = case.summary.reference.clone();
    let open_request = case
        .requests
        .last()
        .filter(|r| r.answered_at.is_none())
        .cloned();
    let extension_pending = open_request.as_ref().is_some_and(|r| {
        r.extension_asked_at.is_some()
            && r.extension_granted.is_none()
            && r.extension_refusal.is_empty()
    });
    let workable = matches!(state, CaseState::InProgress | CaseState::UnderReview);
    let has_assignee = case.summary.assignee_name.is_some();
    let nothing = !case.can_act && !case.can_take && !case.can_assign;
    view! {
        {nothing.then(|| view! { <p class="body" id="customs-read-only">{t(lang, Msg::CwReadOnly)}</p> })}
        {case.can_take.then(|| view! { <TakeForm reference=reference.clone() /> })}
        {(case.can_act && has_assignee && state.is_open()).then(|| view! { <ReleaseForm reference=reference.clone() /> })}
        {(case.can_assign && state.is_open()).then(|| view! { <AssignForm reference=reference.clone() staff=info.staff.clone() /> })}
        {(case.can_act && workable).then(|| view! { <RequestForm reference=reference.clone() info=info.clone() /> })}
        {(case.can_act && extension_pending).then(|| view! { <ExtensionForm reference=reference.clone() latest=info.extension_latest /> })}
        {(case.can_act && workable).then(|| view! { <OutcomeForm reference=reference.clone() has_request=!case.requests.is_empty() /> })}
        {(case.can_act && state == CaseState::Closed).then(|| view! { <ReopenForm reference=reference.clone() days=info.reopen_days /> })}
    }
}

#[component]
fn TakeForm(reference: String) -> impl IntoView {
    let lang = use_lang();
    let take = ServerAction::<TakeCase>::new();
    refresh_on_success(take);
    let errors = errors_of(take.value(), lang);
    view! {
        <ErrorSummary errors />
        <ActionForm action=take attr:id="take-form">
            <input type="hidden" name="reference" value=reference />
            <button type="submit" class="button">{t(lang, Msg::CwTakeButton)}</button>
        </ActionForm>
    }
}

#[component]
fn ReleaseForm(reference: String) -> impl IntoView {
    let lang = use_lang();
    let release = ServerAction::<ReleaseCase>::new();
    refresh_on_success(release);
    let errors = prefixed(errors_of(release.value(), lang), "release");
    view! {
        <h3 class="heading-m" id="release-heading">{t(lang, Msg::CwReleaseHeading)}</h3>
        <ErrorSummary errors />
        <ActionForm action=release attr:id="release-form" attr:aria-labelledby="release-heading">
            <input type="hidden" name="reference" value=reference />
            <TextArea id="release-reason" name="reason" label=t(lang, Msg::CwReasonLabel) error=error_of(errors, "release-reason".into()) rows=2 />
            <button type="submit" class="button button--secondary">{t(lang, Msg::CwReleaseButton)}</button>
        </ActionForm>
    }
}

#[component]
fn AssignForm(reference: String, staff: Vec<StaffChoice>) -> impl IntoView {
    let lang = use_lang();
    let assign = ServerAction::<AssignCases>::new();
    refresh_on_success(assign);
    let errors = prefixed(errors_of(assign.value(), lang), "assign");
    let options = staff
        .into_iter()
        .map(|s| (s.id.to_string(), s.name))
        .collect();
    view! {
        <h3 class="heading-m" id="assign-heading">{t(lang, Msg::CwAssignHeading)}</h3>
        <ErrorSummary errors />
        <ActionForm action=assign attr:id="assign-form" attr:aria-labelledby="assign-heading">
            <input type="hidden" name="reference" value=reference />
            <Select id="assign-assignee" name="assignee" label=t(lang, Msg::CwAssignTo) options selected=String::new() error=error_of(errors, "assign-assignee".into()) />
            <TextArea id="assign-reason" name="reason" label=t(lang, Msg::CwReasonLabel) error=error_of(errors, "assign-reason".into()) rows=2 />
            <button type="submit" class="button button--secondary">{t(lang, Msg::CwAssignButton)}</button>
        </ActionForm>
    }
}

#[component]
fn RequestForm(reference: String, info: PanelInfo) -> impl IntoView {
    let lang = use_lang();
    let issue = ServerAction::<IssueRequest>::new();
    refresh_on_success(issue);
    let errors = prefixed(errors_of(issue.value(), lang), "request");
    let key = info.client_key.clone();
    view! {
        <h3 class="heading-m" id="issue-request-heading">{t(lang, Msg::CwIssueRequestHeading)}</h3>
        <p class="body" id="request-due-rule">{fmt::cw_request_due_hint(lang, info.due_if_issued_today, info.period_days)}</p>
        <ErrorSummary errors />
        <ActionForm action=issue attr:id="request-form" attr:aria-labelledby="issue-request-heading">
            <input type="hidden" name="reference" value=reference />
            <input type="hidden" name="client_key" value=key />
            <TextArea id="request-grounds" name="grounds" label=t(lang, Msg::CwGroundsLabel) hint=t(lang, Msg::CwGroundsHint).to_string() error=error_of(errors, "request-grounds".into()) rows=6 />
            <DocTypeBoxes id="request-doc_types" error=error_of(errors, "request-doc_types".into()) />
            <button type="submit" class="button">{t(lang, Msg::CwIssueRequestButton)}</button>
        </ActionForm>
    }
}

#[component]
fn ExtensionForm(reference: String, latest: Option<chrono::NaiveDate>) -> impl IntoView {
    let lang = use_lang();
    let decide = ServerAction::<DecideExtension>::new();
    refresh_on_success(decide);
    let errors = prefixed(errors_of(decide.value(), lang), "extension");
    let decision_error = error_of(errors, "extension-decision".into());
    let hint = latest.map(|d| fmt::cw_extension_latest(lang, d));
    view! {
        <h3 class="heading-m" id="extension-heading">{t(lang, Msg::CwExtensionHeading)}</h3>
        <ErrorSummary errors />
        <ActionForm action=decide attr:id="extension-form" attr:aria-labelledby="extension-heading">
            <input type="hidden" name="reference" value=reference />
            <div class=move || if decision_error.get().is_some() { "form-group form-group--error" } else { "form-group" }>
                <fieldset class="fieldset" id="extension-decision">
                    <legend class="label">{t(lang, Msg::CwExtensionDecisionLegend)}</legend>
                    {move || decision_error.get().map(|e| view! { <p class="error-message">{e}</p> })}
                    <div class="radios">
                        <div class="radio">
                            <input type="radio" id="extension-decision-grant" name="decision" value="grant" />
                            <label for="extension-decision-grant">{t(lang, Msg::CwExtensionGrant)}</label>
                        </div>
                        <div class="radio">
                            <input type="radio" id="extension-decision-refuse" name="decision" value="refuse" />
                            <label for="extension-decision-refuse">{t(lang, Msg::CwExtensionRefuse)}</label>
                        </div>
                    </div>
                </fieldset>
            </div>
            <div class=move || if error_of(errors, "extension-due_on".into()).get().is_some() { "form-group form-group--error" } else { "form-group" }>
                <label class="label" for="extension-due_on">{t(lang, Msg::CwExtensionDueLabel)}</label>
                {hint.map(|h| view! { <div class="hint" id="extension-due_on-hint">{h}</div> })}
                {move || error_of(errors, "extension-due_on".into()).get().map(|e| view! { <p class="error-message" id="extension-due_on-error">{e}</p> })}
                <input class="input" type="date" id="extension-due_on" name="due_on" aria-describedby="extension-due_on-hint" />
            </div>
            <TextArea id="extension-reason" name="reason" label=t(lang, Msg::CwExtensionReasonLabel) error=error_of(errors, "extension-reason".into()) rows=2 />
            <button type="submit" class="button">{t(lang, Msg::CwExtensionButton)}</button>
        </ActionForm>
    }
}

#[component]
fn OutcomeForm(reference: String, has_request: bool) -> impl IntoView {
    let lang = use_lang();
    let record = ServerAction::<RecordOutcome>::new();
    refresh_on_success(record);
    let errors = prefixed(errors_of(record.value(), lang), "outcome");
    let outcome_error = error_of(errors, "outcome-outcome".into());
    let outcomes: Vec<Outcome> = if has_request {
        vec![Outcome::Dispelled, Outcome::Confirmed]
    } else {
        vec![Outcome::Answered]
    };
    let methods = NextMethod::ALL
        .iter()
        .map(|m| {
            (
                m.code().to_string(),
                t(lang, next_method_label(*m)).to_string(),
            )
        })
        .collect();
    view! {
        <h3 class="heading-m" id="outcome-heading">{t(lang, Msg::CwOutcomeHeading)}</h3>
        <ErrorSummary errors />
        <ActionForm action=record attr:id="outcome-form" attr:aria-labelledby="outcome-heading">
            <input type="hidden" name="reference" value=reference />
            <div class=move || if outcome_error.get().is_some() { "form-group form-group--error" } else { "form-group" }>
                <fieldset class="fieldset" id="outcome-outcome">
                    <legend class="label">{t(lang, Msg::CwOutcomeLegend)}</legend>
                    {move || outcome_error.get().map(|e| view! { <p class="error-message">{e}</p> })}
                    <div class="radios">
                        {outcomes
                            .into_iter()
                            .map(|o| {
                                let id = format!("outcome-outcome-{}", o.code());
                                view! {
                                    <div class="radio">
                                        <input type="radio" id=id.clone() name="outcome" value=o.code() />
                                        <label for=id>{t(lang, outcome_label(o))}</label>
                                    </div>
                                }
                            })
                            .collect_view()}
                    </div>
                </fieldset>
            </div>
            <TextArea id="outcome-grounds" name="grounds" label=t(lang, Msg::CwOutcomeGroundsLabel) error=error_of(errors, "outcome-grounds".into()) rows=6 />
            {has_request.then(|| view! {
                <Select id="outcome-next_method" name="next_method" label=t(lang, Msg::CwNextMethodLabel) hint=t(lang, Msg::CwNextMethodHint) options=methods selected=String::new() error=error_of(errors, "outcome-next_method".into()) />
            })}
            <button type="submit" class="button">{t(lang, Msg::CwOutcomeButton)}</button>
        </ActionForm>
    }
}

#[component]
fn ReopenForm(reference: String, days: u32) -> impl IntoView {
    let lang = use_lang();
    let reopen = ServerAction::<ReopenCase>::new();
    refresh_on_success(reopen);
    let errors = prefixed(errors_of(reopen.value(), lang), "reopen");
    view! {
        <h3 class="heading-m" id="reopen-heading">{t(lang, Msg::CwReopenHeading)}</h3>
        <p class="body">{fmt::cw_reopen_rule(lang, days)}</p>
        <ErrorSummary errors />
        <ActionForm action=reopen attr:id="reopen-form" attr:aria-labelledby="reopen-heading">
            <input type="hidden" name="reference" value=reference />
            <TextArea id="reopen-reason" name="reason" label=t(lang, Msg::CwReasonLabel) error=error_of(errors, "reopen-reason".into()) rows=2 />
            <button type="submit" class="button button--secondary">{t(lang, Msg::CwReopenButton)}</button>
        </ActionForm>
    }
}

/// `/customs/reports`: the supervisors' reports with a date range and the CSV download.
#[component]
pub fn ReportsPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let filter = move || {
        query.with(|q| ReportFilter {
            from: q.get("from").unwrap_or_default(),
            to: q.get("to").unwrap_or_default(),
        })
    };
    let reports = Resource::new_blocking(filter, load_reports);
    view! {
        <Title text=t(lang, Msg::CwReportsTitle) />
        <h1 class="heading-xl">{t(lang, Msg::CwReportsTitle)}</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match reports.await {
                    Err(AppError::Fields(problems)) => {
                        let f = filter();
                        view! {
                            <ErrorSummary errors=Signal::stored(problems.clone()) />
                            <ReportRange from=f.from to=f.to errors=problems />
                        }
                        .into_any()
                    }
                    Err(e) => load_error(lang, e),
                    Ok(r) => view! { <ReportsView r /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReportRange(from: String, to: String, errors: FieldErrors) -> impl IntoView {
    let lang = use_lang();
    let error = |f: &str| {
        errors
            .iter()
            .find(|(id, _)| id == f)
            .map(|(_, m)| m.clone())
    };
    view! {
        <form method="get" action="/customs/reports" class="filter-form no-print" id="report-range">
            <TextField id="from" label=t(lang, Msg::CwFromLabel) input_type="date" value=from error=error("from") />
            <TextField id="to" label=t(lang, Msg::CwToLabel) input_type="date" value=to error=error("to") />
            <button type="submit" class="button button--secondary">{t(lang, Msg::FilterApply)}</button>
        </form>
    }
}

fn count_table(
    lang: Lang,
    id: &'static str,
    caption: Msg,
    columns: &[(Msg, bool)],
    rows: Vec<Vec<String>>,
) -> impl IntoView {
    let columns = headings(lang, columns);
    view! {
        <table class="table" id=id>
            <caption class="table__caption">{t(lang, caption)}</caption>
            <TableHead columns />
            <tbody>
                {rows
                    .into_iter()
                    .map(|cells| {
                        let mut cells = cells.into_iter();
                        let first = cells.next().unwrap_or_default();
                        view! {
                            <tr>
                                <th scope="row">{first}</th>
                                {cells.map(|c| view! { <td class="numeric">{c}</td> }).collect_view()}
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn ReportsView(r: Reports) -> impl IntoView {
    let lang = use_lang();
    let csv = format!("/customs/reports.csv?from={}&to={}", r.from, r.to);
    let by_state = r
        .by_state
        .iter()
        .map(|(s, n)| vec![t(lang, case_state_label(*s)).to_string(), n.to_string()])
        .collect();
    let by_assignee = r
        .by_assignee
        .iter()
        .map(|a| {
            vec![
                a.name
                    .clone()
                    .unwrap_or_else(|| t(lang, Msg::CwUnassigned).to_string()),
                a.open.to_string(),
                a.closed.to_string(),
            ]
        })
        .collect();
    let outcome_rows = |rows: &[super::OutcomeRow]| {
        rows.iter()
            .map(|o| {
                vec![
                    o.key.clone(),
                    o.dispelled.to_string(),
                    o.confirmed.to_string(),
                ]
            })
            .collect::<Vec<_>>()
    };
    let on_time = if r.closed == 0 {
        "—".to_string()
    } else {
        fmt::cw_share(
            lang,
            r.closed_on_time,
            r.closed,
            r.closed_on_time * 100 / r.closed,
        )
    };
    view! {
        <ReportRange from=r.from.to_string() to=r.to.to_string() errors=Vec::new() />
        <p class="body"><a href=csv id="reports-csv" rel="external" download="">{t(lang, Msg::CwDownloadCsv)}</a></p>
        <dl class="summary-list" id="report-figures">
            <div class="summary-list__row"><dt>{t(lang, Msg::CwMedianDays)}</dt><dd id="median-days">{r.median_days.clone().unwrap_or_else(|| "—".into())}</dd></div>
            <div class="summary-list__row"><dt>{t(lang, Msg::CwClosedOnTime)}</dt><dd id="closed-on-time">{on_time}</dd></div>
            <div class="summary-list__row"><dt>{t(lang, Msg::CwRequestsAnswered)}</dt><dd id="requests-answered">{r.requests_answered}</dd></div>
            <div class="summary-list__row"><dt>{t(lang, Msg::CwAnsweredLate)}</dt><dd id="answered-late">{r.answered_late}</dd></div>
        </dl>
        {count_table(lang, "report-by-state", Msg::CwReportByState, &[(Msg::CwColState, false), (Msg::CwColCases, true)], by_state)}
        {count_table(lang, "report-by-assignee", Msg::CwReportByAssignee, &[(Msg::CwColAssignee, false), (Msg::CwColOpen, true), (Msg::CwColClosed, true)], by_assignee)}
        {count_table(lang, "report-by-chapter", Msg::CwReportByChapter, &[(Msg::CwColChapter, false), (Msg::CwColDispelled, true), (Msg::CwColConfirmed, true)], outcome_rows(&r.by_chapter))}
        {count_table(lang, "report-by-origin", Msg::CwReportByOrigin, &[(Msg::CwColOrigin, false), (Msg::CwColDispelled, true), (Msg::CwColConfirmed, true)], outcome_rows(&r.by_origin))}
    }
}

/// `/customs/holidays`: the days off of the working-day calendar.
#[component]
pub fn HolidaysPage() -> impl IntoView {
    let lang = use_lang();
    let add = ServerAction::<AddHoliday>::new();
    let remove = ServerAction::<RemoveHoliday>::new();
    let list = Resource::new_blocking(
        move || (add.version().get(), remove.version().get()),
        |_| load_holidays(),
    );
    view! {
        <Title text=t(lang, Msg::CwHolidaysTitle) />
        <h1 class="heading-xl">{t(lang, Msg::CwHolidaysTitle)}</h1>
        <p class="body">{t(lang, Msg::CwHolidaysIntro)}</p>
        <Suspense>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => load_error(lang, e),
                    Ok(list) => view! { <HolidaysView list add remove /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn HolidaysView(
    list: HolidayList,
    add: ServerAction<AddHoliday>,
    remove: ServerAction<RemoveHoliday>,
) -> impl IntoView {
    let lang = use_lang();
    let add_errors = prefixed(errors_of(add.value(), lang), "holiday");
    let remove_errors = errors_of(remove.value(), lang);
    let can_manage = list.can_manage;
    let columns = headings(lang, &[(Msg::CwColDate, false), (Msg::CwColName, false)]);
    view! {
        <ErrorSummary errors=remove_errors />
        <table class="table" id="holidays">
            <caption class="table__caption">{t(lang, Msg::CwHolidaysCaption)}</caption>
            <TableHead columns actions=can_manage.then(|| t(lang, Msg::DocColActions).to_string()) />
            <tbody>
                {list
                    .rows
                    .into_iter()
                    .map(|h| view! {
                        <tr id=format!("holiday-{}", h.day)>
                            <td class="code">{h.day.to_string()}</td>
                            <td>{h.name.clone()}</td>
                            {can_manage.then(|| view! {
                                <td>
                                    <ActionForm action=remove>
                                        <input type="hidden" name="day" value=h.day.to_string() />
                                        <button type="submit" class="button button--secondary">
                                            {t(lang, Msg::CwRemoveButton)}
                                            <span class="visually-hidden">{format!(" {}", h.day)}</span>
                                        </button>
                                    </ActionForm>
                                </td>
                            })}
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
        {can_manage.then(|| view! {
            <h2 class="heading-l" id="holiday-add-heading">{t(lang, Msg::CwHolidayAddHeading)}</h2>
            <ErrorSummary errors=add_errors />
            <ActionForm action=add attr:id="holiday-add" attr:aria-labelledby="holiday-add-heading">
                <div class=move || if error_of(add_errors, "holiday-day".into()).get().is_some() { "form-group form-group--error" } else { "form-group" }>
                    <label class="label" for="holiday-day">{t(lang, Msg::CwColDate)}</label>
                    {move || error_of(add_errors, "holiday-day".into()).get().map(|e| view! { <p class="error-message">{e}</p> })}
                    <input class="input" type="date" id="holiday-day" name="day" />
                </div>
                <div class=move || if error_of(add_errors, "holiday-name".into()).get().is_some() { "form-group form-group--error" } else { "form-group" }>
                    <label class="label" for="holiday-name">{t(lang, Msg::CwColName)}</label>
                    {move || error_of(add_errors, "holiday-name".into()).get().map(|e| view! { <p class="error-message">{e}</p> })}
                    <input class="input" type="text" id="holiday-name" name="name" maxlength="120" autocomplete="off" />
                </div>
                <button type="submit" class="button">{t(lang, Msg::CwHolidayAddButton)}</button>
            </ActionForm>
        })}
    }
}
