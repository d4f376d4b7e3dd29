//! The case page, the trader's list of cases and the new-query form.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    AskExtension, CaseSummary, CaseView, CasesList, EventView, MessageView, NewQueryForm,
    NoticeView, OpenQuery, RequestView, SendQuery, WithdrawCase, case_notice, list_cases,
    new_query_form,
};
use crate::components::form::{ErrorSummary, errors_of, field_error};
use crate::components::islands::IslandScripts;
use crate::components::load::load_error;
use crate::components::print::PrintButton;
use crate::components::refresh::refresh_on_success;
use crate::context::use_lang;
use crate::domain::cases::{CaseState, Outcome, Side};
use crate::error::AppError;
use crate::i18n::{Lang, Msg, fmt, t};
use crate::labels::{
    case_kind_label, case_state_label, category_label, doc_type_label, event_label,
    next_method_label, outcome_label, side_label, trader_state_label,
};

fn param(name: &'static str) -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get(name).unwrap_or_default()))
}

/// The state in the words of the caller's side.
pub fn state_text(lang: Lang, side: Side, state: CaseState) -> &'static str {
    match side {
        Side::Trader => t(lang, trader_state_label(state.for_trader())),
        Side::Customs => t(lang, case_state_label(state)),
    }
}

/// `/cases`: the importer's cases for its trader side.
#[component]
pub fn CasesPage() -> impl IntoView {
    let lang = use_lang();
    let list = Resource::new_blocking(|| (), |_| list_cases());
    view! {
        <Title text=t(lang, Msg::CasesTitle) />
        <h1 class="heading-xl">{t(lang, Msg::CasesTitle)}</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => load_error(lang, e),
                    Ok(list) => view! { <CasesListView list /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CasesListView(list: CasesList) -> impl IntoView {
    let lang = use_lang();
    let failed = list.failed_deliveries;
    view! {
        {(failed > 0).then(|| view! {
            <div class="notice notice--warning" role="alert" id="delivery-failed-banner">
                <p class="body">{fmt::cases_delivery_failed_banner(lang, failed)}</p>
            </div>
        })}
        <p class="body"><a class="button" href="/cases/new" id="new-query">{t(lang, Msg::CasesNewQuery)}</a></p>
        {if list.cases.is_empty() {
            view! { <p class="body" id="cases-none">{t(lang, Msg::CasesNone)}</p> }.into_any()
        } else {
            view! { <CasesTable cases=list.cases /> }.into_any()
        }}
    }
}

#[component]
fn CasesTable(cases: Vec<CaseSummary>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <table class="table" id="cases">
            <caption class="table__caption">{t(lang, Msg::CasesTableCaption)}</caption>
            <thead>
                <tr>
                    <th scope="col">{t(lang, Msg::CasesColReference)}</th>
                    <th scope="col">{t(lang, Msg::CasesColSubject)}</th>
                    <th scope="col">{t(lang, Msg::CasesColKind)}</th>
                    <th scope="col">{t(lang, Msg::CasesColState)}</th>
                    <th scope="col">{t(lang, Msg::CasesColDue)}</th>
                    <th scope="col">{t(lang, Msg::CasesColUnread)}</th>
                </tr>
            </thead>
            <tbody>
                {cases
                    .into_iter()
                    .map(|c| {
                        let href = format!("/cases/{}", c.reference);
                        view! {
                            <tr>
                                <td><a class="link" href=href>{c.reference.clone()}</a></td>
                                <td>{c.subject.clone()}</td>
                                <td>{t(lang, case_kind_label(c.kind))}</td>
                                <td>{state_text(lang, Side::Trader, c.state)}</td>
                                <td>{c.due_on.map(|d| d.to_string()).unwrap_or_default()}</td>
                                <td>{(c.unread > 0).then(|| fmt::cases_unread_count(lang, i64::from(c.unread)))}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// `/cases/new`: the new-query form (optionally on `?assessment=VAL-…`).
#[component]
pub fn NewCasePage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let form = Resource::new_blocking(
        move || query.with(|q| q.get("assessment").unwrap_or_default()),
        new_query_form,
    );
    view! {
        <Title text=t(lang, Msg::CasesNewTitle) />
        <h1 class="heading-xl">{t(lang, Msg::CasesNewTitle)}</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match form.await {
                    Err(e) => load_error(lang, e),
                    Ok(form) => view! { <NewQueryFormView form /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NewQueryFormView(form: NewQueryForm) -> impl IntoView {
    let lang = use_lang();
    let open = ServerAction::<OpenQuery>::new();
    let errors = errors_of(open.value(), lang);
    let subject_error = field_error(errors, "subject");
    let category_error = field_error(errors, "category");
    let body_error = field_error(errors, "body");
    let assessment_error = field_error(errors, "assessment");
    let library_error = field_error(errors, "library_id");
    view! {
        <ErrorSummary errors />
        <ActionForm action=open attr:id="open-query">
            <input type="hidden" name="client_key" value=form.client_key.clone() />
            <div class="form-group">
                <label class="label" for="subject">{t(lang, Msg::CasesSubjectLabel)}</label>
                {move || subject_error.get().map(|e| view! { <p class="error-message" id="subject-error">{e}</p> })}
                <input class="input" id="subject" name="subject" type="text" maxlength="200" required />
            </div>
            <div class="form-group">
                <fieldset class="fieldset" id="category">
                    <legend class="label">{t(lang, Msg::CasesCategoryLabel)}</legend>
                    {move || category_error.get().map(|e| view! { <p class="error-message">{e}</p> })}
                    <div class="radios">
                        {form
                            .categories
                            .iter()
                            .enumerate()
                            .map(|(i, (c, days))| {
                                let id = format!("category-{}", c.code());
                                view! {
                                    <div class="radio">
                                        <input type="radio" id=id.clone() name="category" value=c.code() checked=i == 0 />
                                        <label for=id>
                                            {fmt::cases_category_with_days(lang, t(lang, category_label(*c)), i64::from(*days))}
                                        </label>
                                    </div>
                                }
                            })
                            .collect_view()}
                    </div>
                </fieldset>
            </div>
            <div class="form-group">
                <label class="label" for="assessment">{t(lang, Msg::CasesAssessmentLabel)}</label>
                <div class="hint" id="assessment-hint">{t(lang, Msg::CasesAssessmentHint)}</div>
                {move || assessment_error.get().map(|e| view! { <p class="error-message" id="assessment-error">{e}</p> })}
                <input class="input" id="assessment" name="assessment" type="text" aria-describedby="assessment-hint" value=form.assessment.clone() />
            </div>
            <div class="form-group">
                <label class="label" for="body">{t(lang, Msg::CasesBodyLabel)}</label>
                <div class="hint" id="body-hint">{t(lang, Msg::CasesBodyHint)}</div>
                {move || body_error.get().map(|e| view! { <p class="error-message" id="body-error">{e}</p> })}
                <textarea class="textarea" id="body" name="body" rows="8" maxlength="10000" aria-describedby="body-hint" required></textarea>
            </div>
            <LibraryChoices choices=form.library.clone() name="library_id[]" error=library_error />
            <div class="button-group">
                <button type="submit" class="button" name="intent" value="send" id="send">{t(lang, Msg::CasesSendButton)}</button>
                <button type="submit" class="button button--secondary" name="intent" value="draft" id="save-draft">{t(lang, Msg::CasesDraftButton)}</button>
            </div>
        </ActionForm>
    }
}

/// Checkboxes of library documents valid today.
#[component]
fn LibraryChoices(
    choices: Vec<crate::features::documents::LibraryChoice>,
    name: &'static str,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    (!choices.is_empty()).then(|| {
        view! {
            <div class="form-group">
                <fieldset class="fieldset" id="library_id">
                    <legend class="label">{t(lang, Msg::CasesLibraryLegend)}</legend>
                    {move || error.get().map(|e| view! { <p class="error-message">{e}</p> })}
                    <div class="checkboxes">
                        {choices
                            .into_iter()
                            .map(|c| {
                                let id = format!("library-{}", c.id);
                                view! {
                                    <div class="radio">
                                        <input type="checkbox" id=id.clone() name=name value=c.id.to_string() />
                                        <label for=id>{format!("{} ({}, {})", c.title, t(lang, doc_type_label(c.doc_type)), c.file_name)}</label>
                                    </div>
                                }
                            })
                            .collect_view()}
                    </div>
                </fieldset>
            </div>
        }
    })
}

/// The summary of a case: kind, state, dates, the assessment and the response time.
#[component]
pub fn CaseSummaryView(case: CaseView) -> impl IntoView {
    let lang = use_lang();
    let s = case.summary.clone();
    view! {
        <dl class="summary-list" id="case-summary">
            <div class="summary-list__row"><dt>{t(lang, Msg::CasesColReference)}</dt><dd id="case-reference">{s.reference.clone()}</dd></div>
            <div class="summary-list__row"><dt>{t(lang, Msg::CasesColKind)}</dt><dd>{t(lang, case_kind_label(s.kind))}</dd></div>
            <div class="summary-list__row"><dt>{t(lang, Msg::CasesColState)}</dt><dd id="case-state">{state_text(lang, case.side, s.state)}</dd></div>
            <div class="summary-list__row"><dt>{t(lang, Msg::CasesCategoryLabel)}</dt><dd>{t(lang, category_label(s.category))}</dd></div>
            <div class="summary-list__row"><dt>{t(lang, Msg::CasesResponseTime)}</dt><dd id="response-days">{fmt::cases_working_days(lang, i64::from(case.response_days))}</dd></div>
            <div class="summary-list__row"><dt>{t(lang, Msg::CasesImporter)}</dt><dd>{format!("{} (RUC {})", s.importer_name, s.importer_tax_id)}</dd></div>
            {s.broker_name.clone().map(|b| view! { <div class="summary-list__row"><dt>{t(lang, Msg::CasesBroker)}</dt><dd>{b}</dd></div> })}
            {s.assessment_reference.clone().map(|a| view! {
                <div class="summary-list__row"><dt>{t(lang, Msg::CasesAssessmentLabel)}</dt>
                    <dd><a class="link" id="case-assessment" href=format!("/assessments/{a}")>{a.clone()}</a>
                        {(!s.tariff_code.is_empty()).then(|| format!(" · {} · {}", s.tariff_code, s.origin))}
                        {s.level.map(|l| format!(" · {}", t(lang, crate::labels::level_label(l))))}
                    </dd>
                </div>
            })}
            {(!s.declaration_ref.is_empty()).then(|| view! { <div class="summary-list__row"><dt>{t(lang, Msg::CasesDeclaration)}</dt><dd>{s.declaration_ref.clone()}</dd></div> })}
            <div class="summary-list__row"><dt>{t(lang, Msg::CasesCreated)}</dt><dd>{s.created_at.clone()}</dd></div>
            <div class="summary-list__row"><dt>{t(lang, Msg::CasesWorkingDaysLabel)}</dt><dd id="working-days">{fmt::cases_working_days(lang, i64::from(s.working_days))}</dd></div>
            {s.due_on.map(|d| view! {
                <div class="summary-list__row"><dt>{t(lang, Msg::CasesColDue)}</dt>
                    <dd id="case-due">{d.to_string()}{s.overdue.then(|| format!(" ({})", t(lang, Msg::CasesOverdue)))}</dd>
                </div>
            })}
            {s.assignee_name.clone().map(|a| view! { <div class="summary-list__row"><dt>{t(lang, Msg::CasesAssignee)}</dt><dd>{a}</dd></div> })}
        </dl>
    }
}

/// The requests for information, the open one last.
#[component]
pub fn RequestsView(requests: Vec<RequestView>) -> impl IntoView {
    let lang = use_lang();
    (!requests.is_empty()).then(|| {
        view! {
            <section id="request" aria-labelledby="request-heading">
                <h2 class="heading-l" id="request-heading">{t(lang, Msg::CasesRequestHeading)}</h2>
                {requests
                    .into_iter()
                    .map(|r| {
                        let types = r
                            .requested_types
                            .iter()
                            .map(|d| t(lang, doc_type_label(*d)).to_string())
                            .collect::<Vec<_>>()
                            .join(", ");
                        let extension = match (r.extension_asked_at.is_some(), r.extension_granted) {
                            (false, _) => None,
                            (true, None) => Some(t(lang, Msg::CasesExtensionPending).to_string()),
                            (true, Some(true)) => Some(fmt::cases_extension_granted_until(lang, r.due_on)),
                            (true, Some(false)) => Some(fmt::cases_extension_refused_because(lang, &r.extension_refusal)),
                        };
                        view! {
                            <dl class="summary-list">
                                <div class="summary-list__row"><dt>{t(lang, Msg::CasesIssued)}</dt><dd>{format!("{} · {}", r.issued_at, r.issued_by)}</dd></div>
                                <div class="summary-list__row"><dt>{t(lang, Msg::CasesGrounds)}</dt><dd class="prewrap">{r.grounds.clone()}</dd></div>
                                <div class="summary-list__row"><dt>{t(lang, Msg::CasesRequestedTypes)}</dt><dd>{types}</dd></div>
                                <div class="summary-list__row"><dt>{t(lang, Msg::CasesColDue)}</dt><dd class="request-due">{r.due_on.to_string()}</dd></div>
                                {extension.map(|e| view! { <div class="summary-list__row"><dt>{t(lang, Msg::CasesExtension)}</dt><dd class="extension-status">{e}</dd></div> })}
                                {r.answered_at.clone().map(|a| view! {
                                    <div class="summary-list__row"><dt>{t(lang, Msg::CasesAnswered)}</dt>
                                        <dd class="answer-status">{a}{r.answer_late.then(|| view! { " " <strong class="tag tag--late">{t(lang, Msg::CasesLateMark)}</strong> })}</dd>
                                    </div>
                                })}
                            </dl>
                        }
                    })
                    .collect_view()}
            </section>
        }
    })
}

/// The thread of messages with their attachments.
#[component]
pub fn ThreadView(reference: String, messages: Vec<MessageView>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section id="thread" aria-labelledby="thread-heading">
            <h2 class="heading-l" id="thread-heading">{t(lang, Msg::CasesThreadHeading)}</h2>
            <ol class="thread">
                {messages
                    .into_iter()
                    .map(|m| {
                        let reference = reference.clone();
                        view! {
                            <li class="message" id=format!("message-{}", m.id)>
                                <p class="message__meta">
                                    <strong>{m.author.clone()}</strong>
                                    {format!(" ({})", t(lang, side_label(m.side)))}
                                    {m.acting_for.clone().map(|o| fmt::cases_acting_for(lang, o))}
                                    " · " {m.sent_at.clone()}
                                    {m.read_at.clone().map(|r| view! { " · " <span class="message__read">{fmt::cases_read_at(lang, r)}</span> })}
                                </p>
                                <p class="message__body prewrap">{m.body.clone()}</p>
                                {(!m.attachments.is_empty()).then(|| view! {
                                    <ul class="attachments">
                                        {m.attachments.iter().map(|a| {
                                            let text = format!("{} ({}) SHA-256 {}", a.file_name, t(lang, doc_type_label(a.doc_type)), a.sha256);
                                            if a.withheld {
                                                view! { <li>{text}" · "{t(lang, Msg::CasesWithheld)}</li> }.into_any()
                                            } else {
                                                let href = format!("/cases/{reference}/attachments/{}", a.id);
                                                view! { <li><a class="link" href=href download="">{a.file_name.clone()}</a>{format!(" ({}) SHA-256 {}", t(lang, doc_type_label(a.doc_type)), a.sha256)}</li> }.into_any()
                                            }
                                        }).collect_view()}
                                    </ul>
                                })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}

/// The message form (a plain multipart post to the case's messages route).
#[component]
pub fn MessageFormView(case: CaseView) -> impl IntoView {
    let lang = use_lang();
    let reference = case.summary.reference.clone();
    let awaiting = case.side == Side::Trader && case.summary.state == CaseState::AwaitingTrader;
    let writable = match case.side {
        Side::Trader => matches!(
            case.summary.state,
            CaseState::Submitted
                | CaseState::InProgress
                | CaseState::AwaitingTrader
                | CaseState::UnderReview
        ),
        Side::Customs => {
            case.can_act
                && matches!(
                    case.summary.state,
                    CaseState::InProgress | CaseState::AwaitingTrader | CaseState::UnderReview
                )
        }
    };
    writable.then(|| {
        let doc_types = crate::domain::documents::DocType::ALL
            .into_iter()
            .map(|d| view! { <option value=d.code()>{t(lang, doc_type_label(d))}</option> })
            .collect_view();
        view! {
            <form method="post" action=format!("/cases/{reference}/messages") enctype="multipart/form-data" id="message-form" aria-labelledby="message-heading">
                <h2 class="heading-m" id="message-heading">{t(lang, Msg::CasesWriteHeading)}</h2>
                <input type="hidden" name="client_key" value=case.form_key.clone() />
                {awaiting.then(|| view! {
                    <fieldset class="fieldset" id="purpose">
                        <legend class="label">{t(lang, Msg::CasesPurposeLegend)}</legend>
                        <div class="radios">
                            <div class="radio"><input type="radio" id="purpose-answer" name="purpose" value="answer" checked=true /><label for="purpose-answer">{t(lang, Msg::CasesPurposeAnswer)}</label></div>
                            <div class="radio"><input type="radio" id="purpose-nothing_more" name="purpose" value="nothing_more" /><label for="purpose-nothing_more">{t(lang, Msg::CasesPurposeNothingMore)}</label></div>
                            <div class="radio"><input type="radio" id="purpose-message" name="purpose" value="message" /><label for="purpose-message">{t(lang, Msg::CasesPurposeMessage)}</label></div>
                        </div>
                    </fieldset>
                })}
                <div class="form-group">
                    <label class="label" for="message-body">{t(lang, Msg::CasesBodyLabel)}</label>
                    <div class="hint" id="message-body-hint">{t(lang, Msg::CasesBodyHint)}</div>
                    <textarea class="textarea" id="message-body" name="body" rows="6" maxlength="10000" aria-describedby="message-body-hint"></textarea>
                </div>
                <LibraryChoices choices=case.library.clone() name="library_id" error=Signal::stored(None::<String>) />
                <div class="form-group">
                    <label class="label" for="doc_type">{t(lang, Msg::CasesDocTypeLabel)}</label>
                    <select class="select" id="doc_type" name="doc_type">{doc_types}</select>
                </div>
                <div class="form-group">
                    <label class="label" for="file">{t(lang, Msg::CasesFilesLabel)}</label>
                    <input class="file-upload" id="file" name="file" type="file" multiple=true />
                </div>
                <button type="submit" class="button" id="send-message">{t(lang, Msg::CasesSendMessage)}</button>
            </form>
        }
    })
}

/// The trader's own steps: send a draft, ask the extension, withdraw.
#[component]
pub fn TraderActions(case: CaseView) -> impl IntoView {
    let lang = use_lang();
    let send = ServerAction::<SendQuery>::new();
    refresh_on_success(send);
    let extension = ServerAction::<AskExtension>::new();
    refresh_on_success(extension);
    let withdraw = ServerAction::<WithdrawCase>::new();
    refresh_on_success(withdraw);
    let send_errors = errors_of(send.value(), lang);
    let ext_errors = errors_of(extension.value(), lang);
    let wd_errors = errors_of(withdraw.value(), lang);
    let reference = case.summary.reference.clone();
    let (r1, r2, r3) = (reference.clone(), reference.clone(), reference);
    let state = case.summary.state;
    let can_extend = state == CaseState::AwaitingTrader
        && case
            .requests
            .last()
            .is_some_and(|r| r.answered_at.is_none() && r.extension_asked_at.is_none());
    let can_withdraw = case.summary.kind == crate::domain::cases::CaseKind::Query
        && matches!(
            state,
            CaseState::Draft
                | CaseState::Submitted
                | CaseState::InProgress
                | CaseState::UnderReview
        );
    view! {
        <ErrorSummary errors=Signal::derive(move || { let mut e = send_errors.get(); e.extend(ext_errors.get()); e.extend(wd_errors.get()); e }) />
        {(state == CaseState::Draft).then(|| view! {
            <ActionForm action=send attr:id="send-draft">
                <input type="hidden" name="reference" value=r1.clone() />
                <button type="submit" class="button">{t(lang, Msg::CasesSendButton)}</button>
            </ActionForm>
        })}
        {can_extend.then(|| view! {
            <ActionForm action=extension attr:id="ask-extension">
                <h2 class="heading-m">{t(lang, Msg::CasesAskExtensionHeading)}</h2>
                <input type="hidden" name="reference" value=r2.clone() />
                <div class="form-group">
                    <label class="label" for="reason">{t(lang, Msg::CasesReasonLabel)}</label>
                    <textarea class="textarea" id="reason" name="reason" rows="3" maxlength="10000"></textarea>
                </div>
                <button type="submit" class="button button--secondary">{t(lang, Msg::CasesAskExtensionButton)}</button>
            </ActionForm>
        })}
        {can_withdraw.then(|| view! {
            <ActionForm action=withdraw attr:id="withdraw">
                <h2 class="heading-m">{t(lang, Msg::CasesWithdrawHeading)}</h2>
                <input type="hidden" name="reference" value=r3.clone() />
                <div class="form-group">
                    <label class="label" for="withdraw-reason">{t(lang, Msg::CasesReasonLabel)}</label>
                    <textarea class="textarea" id="withdraw-reason" name="reason" rows="3" maxlength="10000"></textarea>
                </div>
                <button type="submit" class="button button--warning">{t(lang, Msg::CasesWithdrawButton)}</button>
            </ActionForm>
        })}
    }
}

/// The outcome as recorded, with the right to appeal when the doubt is confirmed.
#[component]
pub fn OutcomeViewPanel(case: CaseView) -> impl IntoView {
    let lang = use_lang();
    case.outcome.map(|o| {
        view! {
            <section id="outcome" aria-labelledby="outcome-heading">
                <h2 class="heading-l" id="outcome-heading">{t(lang, Msg::CasesOutcomeHeading)}</h2>
                <p class="body"><strong>{t(lang, outcome_label(o.outcome))}</strong>{format!(" · {}", o.closed_at)}</p>
                <p class="body prewrap">{o.grounds.clone()}</p>
                {o.next_method.map(|m| view! { <p class="body">{t(lang, next_method_label(m))}</p> })}
                {(o.outcome == Outcome::Confirmed).then(|| view! { <p class="body" id="appeal">{t(lang, Msg::CasesAppealRight)}</p> })}
            </section>
        }
    })
}

/// The notification mails and their outcome.
#[component]
pub fn DeliveriesView(case: CaseView) -> impl IntoView {
    let lang = use_lang();
    (!case.deliveries.is_empty()).then(|| {
        view! {
            <section id="deliveries" aria-labelledby="deliveries-heading">
                <h2 class="heading-l" id="deliveries-heading">{t(lang, Msg::CasesDeliveriesHeading)}</h2>
                {case.delivery_failed.then(|| view! { <p class="error-message" role="alert">{t(lang, Msg::CasesDeliveryFailed)}</p> })}
                <table class="table">
                    <caption class="visually-hidden">{t(lang, Msg::CasesDeliveriesHeading)}</caption>
                    <thead><tr>
                        <th scope="col">{t(lang, Msg::CasesRecipient)}</th>
                        <th scope="col">{t(lang, Msg::CasesStep)}</th>
                        <th scope="col">{t(lang, Msg::CasesDeliveryStatus)}</th>
                        <th scope="col">{t(lang, Msg::CasesWhen)}</th>
                    </tr></thead>
                    <tbody>
                        {case.deliveries.into_iter().map(|d| view! {
                            <tr>
                                <td>{d.recipient.clone()}</td>
                                <td>{d.event.map(|e| t(lang, event_label(e)))}</td>
                                <td>{t(lang, match d.status.as_str() {
                                    "sent" => Msg::CasesDeliverySent,
                                    "failed" => Msg::CasesDeliveryFailedShort,
                                    _ => Msg::CasesDeliveryPending,
                                })}</td>
                                <td>{d.at.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        }
    })
}

/// The timeline (`<ol id="timeline">`), each step with a link to its notice.
#[component]
pub fn TimelineView(reference: String, events: Vec<EventView>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section aria-labelledby="timeline-heading">
            <h2 class="heading-l" id="timeline-heading">{t(lang, Msg::CasesTimelineHeading)}</h2>
            <ol class="timeline" id="timeline">
                {events
                    .into_iter()
                    .map(|e| {
                        let who = [e.actor.clone(), e.actor_org.clone()]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(", ");
                        let href = format!("/cases/{reference}/notices/{}", e.id);
                        view! {
                            <li class="timeline__item" data-kind=e.kind.code()>
                                <strong>{t(lang, event_label(e.kind))}</strong>
                                {format!(" · {} · {}", e.at, who)}
                                {e.acting_for.clone().map(|o| fmt::cases_acting_for(lang, o))}
                                {(!e.detail.is_empty()).then(|| format!(" · {}", e.detail))}
                                " · "
                                <a class="link" href=href>{t(lang, Msg::CasesNoticeLink)}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}

/// `/cases/{reference}/notices/{event_id}`: the printable notice of one step.
#[component]
pub fn NoticePage() -> impl IntoView {
    let lang = use_lang();
    let reference = param("reference");
    let event_id = param("event_id");
    let notice = Resource::new_blocking(
        move || (reference.get(), event_id.get()),
        |(r, e)| case_notice(r, e),
    );
    view! {
        <Title text=t(lang, Msg::CasesNoticeTitle) />
        <IslandScripts />
        <Suspense>
            {move || Suspend::new(async move {
                match notice.await {
                    Err(AppError::Unauthenticated) => view! { <Redirect path="/sign-in" /> }.into_any(),
                    Err(e) => view! { <h1 class="heading-xl">{t(lang, Msg::CasesNoticeTitle)}</h1><p class="error-message">{e.user_message(lang)}</p> }.into_any(),
                    Ok(n) => view! { <NoticeViewPanel notice=n /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NoticeViewPanel(notice: NoticeView) -> impl IntoView {
    let lang = use_lang();
    let n = notice;
    let confirmed = n
        .outcome
        .as_ref()
        .is_some_and(|o| o.outcome == Outcome::Confirmed);
    view! {
        <article class="notice-print" id="notice">
            <h1 class="heading-xl">{fmt::cases_notice_heading(lang, t(lang, event_label(n.kind)), &n.reference)}</h1>
            <dl class="summary-list">
                <div class="summary-list__row"><dt>{t(lang, Msg::CasesColKind)}</dt><dd>{t(lang, case_kind_label(n.case_kind))}</dd></div>
                <div class="summary-list__row"><dt>{t(lang, Msg::CasesColSubject)}</dt><dd>{n.subject.clone()}</dd></div>
                <div class="summary-list__row"><dt>{t(lang, Msg::CasesWhen)}</dt><dd id="notice-at">{n.at.clone()}</dd></div>
                <div class="summary-list__row"><dt>{t(lang, Msg::CasesSender)}</dt><dd id="notice-sender">{format!("{} ({})", n.sender, n.sender_org)}</dd></div>
                <div class="summary-list__row"><dt>{t(lang, Msg::CasesImporter)}</dt><dd id="notice-importer">{format!("{} (RUC {})", n.importer_name, n.importer_tax_id)}</dd></div>
                <div class="summary-list__row"><dt>{t(lang, Msg::CasesRecipients)}</dt>
                    <dd id="notice-recipients">{n.recipients.iter().map(|(name, email)| format!("{name} <{email}>")).collect::<Vec<_>>().join("; ")}</dd>
                </div>
                {n.due_on.map(|d| view! { <div class="summary-list__row"><dt>{t(lang, Msg::CasesColDue)}</dt><dd>{d.to_string()}</dd></div> })}
            </dl>
            {n.outcome.clone().map(|o| view! {
                <p class="body"><strong>{t(lang, outcome_label(o.outcome))}</strong></p>
                {o.next_method.map(|m| view! { <p class="body" id="notice-next-method">{t(lang, next_method_label(m))}</p> })}
            })}
            <h2 class="heading-m">{t(lang, Msg::CasesNoticeText)}</h2>
            <p class="body prewrap" id="notice-text">{n.text.clone()}</p>
            {confirmed.then(|| view! { <p class="body" id="appeal">{t(lang, Msg::CasesAppealRight)}</p> })}
            {(!n.attachments.is_empty()).then(|| view! {
                <h2 class="heading-m">{t(lang, Msg::CasesNoticeDocuments)}</h2>
                <ul id="notice-documents">
                    {n.attachments.iter().map(|a| view! { <li>{format!("{} · SHA-256 {}", a.file_name, a.sha256)}</li> }).collect_view()}
                </ul>
            })}
            <p class="body no-print">
                <PrintButton label=t(lang, Msg::CasesPrint) />
                " "
                <a class="link" href=format!("/cases/{}", n.reference)>{t(lang, Msg::CasesBackToCase)}</a>
            </p>
            <p class="hint no-print">{t(lang, Msg::CasesPrintHint)}</p>
        </article>
    }
}
