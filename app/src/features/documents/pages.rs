//! The documents of a saved assessment (the list, the types it calls for, the upload form with
//! one progress bar per file once the page is interactive, attaching from the company library),
//! the check-your-answers page before submitting them to customs, and the printable receipt.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    AssessmentDocuments, AttachFromLibrary, DocumentRow, LibraryChoice, RemoveDocument,
    SubmitDocuments, Suggestion, assessment_documents, receipt,
};
use crate::components::form::{ErrorSummary, FieldErrors, RadioGroup, Select, TextField};
use crate::components::form::{errors_of, field_error};
use crate::components::islands::IslandScripts;
use crate::components::load::load_error;
use crate::components::print::PrintButton;
use crate::components::table::{TableHead, headings};
use crate::components::upload::{FileField, accepted_formats, refused_in_query, size_text};
use crate::context::use_lang;
use crate::domain::documents::{Confidentiality, DocType, UploadLimits};
use crate::error::AppError;
use crate::i18n::{Lang, Msg, SLOT, fmt, split_slot, t};
use crate::labels::{confidentiality_label, doc_type_label};

/// The reference in the route's address.
fn reference_param() -> String {
    use_params_map().with_untracked(|p| p.get("reference").unwrap_or_default())
}

/// What a no-JavaScript upload came back with, from the address it redirected to: the number
/// of files accepted, the refused ones (`r`, see [`refused_in_query`]) and the fields the form
/// lacked (`error`).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
struct PostedUpload {
    accepted: i64,
    refused: Vec<String>,
    errors: Vec<String>,
}

/// The message for a field the upload route named in `error=` (the form was wrong).
fn form_error_message(lang: Lang, field: &str) -> Option<(String, String)> {
    let msg = match field {
        "doc_type" => Msg::FilingDocTypeMissing,
        "description" => Msg::FilingDescriptionMissing,
        "confidentiality" => Msg::FilingConfidentialityMissing,
        "supersedes" => Msg::FilingSupersedesInvalid,
        "files" => Msg::FilingNoFile,
        _ => return None,
    };
    Some((field.to_string(), t(lang, msg).to_string()))
}

/// Where one file of a script-driven upload stands.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum FileState {
    Waiting,
    /// Percent of the file sent.
    Sending(u8),
    /// Sent whole; the server reads, scans and stores it.
    Checking,
    /// The server's message.
    Accepted(String),
    Refused(String),
    /// Not sent because the form itself was wrong.
    NotSent,
    /// The request failed (network, session ended, server error).
    Failed,
}

impl FileState {
    fn code(&self) -> &'static str {
        match self {
            FileState::Waiting => "waiting",
            FileState::Sending(_) => "sending",
            FileState::Checking => "checking",
            FileState::Accepted(_) => "accepted",
            FileState::Refused(_) => "refused",
            FileState::NotSent => "not_sent",
            FileState::Failed => "failed",
        }
    }

    fn text(&self, lang: Lang) -> String {
        match self {
            FileState::Waiting => t(lang, Msg::DocStateWaiting).into(),
            FileState::Sending(percent) => fmt::doc_state_sending(lang, percent),
            FileState::Checking => t(lang, Msg::DocStateChecking).into(),
            FileState::Accepted(message) | FileState::Refused(message) => message.clone(),
            FileState::NotSent => t(lang, Msg::DocStateNotSent).into(),
            FileState::Failed => t(lang, Msg::DocStateFailed).into(),
        }
    }

    /// The progress bar's value; `None` (indeterminate) while the server checks the file.
    fn percent(&self) -> Option<u8> {
        match self {
            FileState::Waiting | FileState::NotSent => Some(0),
            FileState::Sending(percent) => Some(*percent),
            FileState::Checking => None,
            FileState::Accepted(_) | FileState::Refused(_) | FileState::Failed => Some(100),
        }
    }
}

/// One chosen file, its state a signal of its own: a change redraws only that file's bar and
/// words, so the live region announces just what changed.
#[derive(Clone, Debug)]
struct FileProgress {
    name: String,
    state: ArcRwSignal<FileState>,
}

/// The state a script-driven upload shares with the section around the form.
#[derive(Clone, Copy)]
struct ScriptUpload {
    /// One entry per chosen file.
    files: RwSignal<Vec<FileProgress>>,
    /// The form's problems, as the route answered them (422).
    errors: RwSignal<FieldErrors>,
    busy: RwSignal<bool>,
    /// Set once the first script-driven upload starts: the no-JS results in the address are
    /// then out of date.
    started: RwSignal<bool>,
    /// Bumped when an upload ends, so the list is read again.
    finished: RwSignal<u32>,
}

/// The documents part of an assessment's page (id `documents`); `pages::assessment` puts it
/// under the assessment. It is an island (the upload sends each file with its progress bar and
/// the list is read again without a page load), given what the address holds; the route page
/// renders `IslandScripts`.
#[component]
pub fn DocumentsSection() -> impl IntoView {
    let posted = use_query_map().with_untracked(|q| PostedUpload {
        accepted: q.get("accepted").and_then(|n| n.parse().ok()).unwrap_or(0),
        refused: q.get_all("r").unwrap_or_default(),
        errors: q.get_all("error").unwrap_or_default(),
    });
    view! { <DocumentsIsland reference=reference_param() posted /> }
}

// Lazy: its code is a chunk of its own, fetched only by the pages that show documents.
#[island(lazy)]
fn DocumentsIsland(reference: String, posted: PostedUpload) -> impl IntoView {
    let lang = use_lang();
    Effect::new(|_| crate::components::islands::island_alive());
    let remove = ServerAction::<RemoveDocument>::new();
    let attach = ServerAction::<AttachFromLibrary>::new();
    let upload = ScriptUpload {
        files: RwSignal::new(Vec::new()),
        errors: RwSignal::new(Vec::new()),
        busy: RwSignal::new(false),
        started: RwSignal::new(false),
        finished: RwSignal::new(0),
    };
    let documents = Resource::new_blocking(
        move || {
            (
                reference.clone(),
                upload.finished.get(),
                remove.version().get(),
                attach.version().get(),
            )
        },
        |(reference, ..)| assessment_documents(reference),
    );
    view! {
        <Transition>
            {move || {
            let posted = posted.clone();
            Suspend::new(async move {
                match documents.await {
                    // The assessment above says so (or sends the visitor to sign in).
                    Err(AppError::NotFound | AppError::Unauthenticated | AppError::Forbidden) => ().into_any(),
                    Err(e) => view! {
                        <section class="documents" id="documents" aria-labelledby="documents-heading">
                            <h2 class="heading-l" id="documents-heading">{t(lang, Msg::DocsHeading)}</h2>
                            <p class="error-message">{e.user_message(lang)}</p>
                        </section>
                    }
                    .into_any(),
                    Ok(docs) if docs.verification_needed => view! {
                        <section class="documents" id="documents" aria-labelledby="documents-heading">
                            <h2 class="heading-l" id="documents-heading">{t(lang, Msg::DocsHeading)}</h2>
                            <p class="body" id="documents-verification-needed">
                                {t(lang, Msg::DocsVerificationNeeded)} " "
                                <a href="/account#verification">{t(lang, Msg::DocsVerificationLink)}</a>
                            </p>
                        </section>
                    }
                    .into_any(),
                    Ok(docs) => view! { <DocumentsView docs posted remove attach upload /> }.into_any(),
                }
            })
            }}
        </Transition>
    }
}

#[component]
fn DocumentsView(
    docs: AssessmentDocuments,
    posted: PostedUpload,
    remove: ServerAction<RemoveDocument>,
    attach: ServerAction<AttachFromLibrary>,
    upload: ScriptUpload,
) -> impl IntoView {
    let lang = use_lang();
    // What a no-JavaScript upload came back with.
    let accepted = posted.accepted;
    let refused = refused_in_query(lang, &docs.limits, posted.refused, "files");
    let form_errors: FieldErrors = posted
        .errors
        .iter()
        .filter_map(|field| form_error_message(lang, field))
        .collect();
    let remove_errors = errors_of(remove.value(), lang);
    let attach_errors = errors_of(attach.value(), lang);
    // The attach form's fields have ids of their own (the upload form has the same names).
    let attach_errors = Signal::derive(move || {
        attach_errors
            .get()
            .into_iter()
            .map(|(field, message)| match field.as_str() {
                "description" | "confidentiality" => (format!("library_{field}"), message),
                _ => (field, message),
            })
            .collect::<FieldErrors>()
    });
    // The fields' own messages, and the summary (which also lists the refused files).
    let field_errors = Signal::derive(move || {
        let mut all = if upload.started.get() {
            Vec::new()
        } else {
            form_errors.clone()
        };
        all.extend(upload.errors.get());
        all.extend(attach_errors.get());
        all
    });
    let summary = Signal::derive(move || {
        let mut all = if upload.started.get() {
            Vec::new()
        } else {
            refused.clone()
        };
        all.extend(field_errors.get());
        all.extend(remove_errors.get());
        all
    });
    let reference = docs.reference.clone();
    let trader_side = docs.trader_side;
    view! {
        <section class="documents" id="documents" aria-labelledby="documents-heading">
            <h2 class="heading-l" id="documents-heading">{t(lang, Msg::DocsHeading)}</h2>
            <p class="body">{t(lang, if trader_side { Msg::DocsIntro } else { Msg::DocsIntroCustoms })}</p>
            {move || (trader_side && accepted > 0 && !upload.started.get()).then(|| view! {
                <p class="notice" id="upload-accepted" role="status">{fmt::doc_upload_accepted(lang, accepted)}</p>
            })}
            {trader_side.then(|| view! { <ErrorSummary errors=summary /> })}
            <DocumentTable documents=docs.documents.clone() reference=reference.clone() trader_side remove />
            {trader_side.then(|| view! {
                <TraderParts docs=docs.clone() attach upload field_errors />
            })}
        </section>
    }
}

/// What only the trader side sees: submission links, the checklist, the forms.
#[component]
fn TraderParts(
    docs: AssessmentDocuments,
    attach: ServerAction<AttachFromLibrary>,
    upload: ScriptUpload,
    field_errors: Signal<FieldErrors>,
) -> impl IntoView {
    let lang = use_lang();
    let reference = docs.reference.clone();
    let current: Vec<DocumentRow> = docs
        .documents
        .iter()
        .filter(|d| d.superseded_by.is_none())
        .cloned()
        .collect();
    let first_missing = docs
        .suggested
        .iter()
        .find(|s| !s.present)
        .map(|s| s.doc_type);
    // The printed assessment keeps the documents table; the forms are for the screen.
    view! {
        <div class="no-print">
        <div class="button-group no-print">
            {(docs.drafts > 0).then(|| view! {
                <a href=format!("/assessments/{reference}/submit") class="button" id="submit-documents">
                    {fmt::doc_submit_link(lang, docs.drafts as i64)}
                </a>
            })}
            {(!docs.submissions.is_empty()).then(|| view! {
                <a href=format!("/assessments/{reference}/receipt") id="receipt-link">{t(lang, Msg::DocReceiptLink)}</a>
            })}
        </div>
        {docs.submissions.last().map(|time| view! { <p class="body">{fmt::doc_last_submitted(lang, time)}</p> })}
        <Suggestions suggested=docs.suggested.clone() />
        <UploadForm reference=reference.clone() current first_missing limits=docs.limits.clone() upload field_errors />
        {(!docs.library.is_empty()).then(|| view! {
            <AttachForm reference=reference.clone() choices=docs.library.clone() attach field_errors />
        })}
        </div>
    }
    .into_any()
}

#[component]
fn DocumentTable(
    documents: Vec<DocumentRow>,
    reference: String,
    trader_side: bool,
    remove: ServerAction<RemoveDocument>,
) -> impl IntoView {
    let lang = use_lang();
    if documents.is_empty() {
        return view! { <p class="body" id="documents-none">{t(lang, Msg::DocsNone)}</p> }
            .into_any();
    }
    let removable = trader_side && documents.iter().any(|d| d.submitted_at.is_none());
    let names: Vec<(uuid::Uuid, String)> = documents
        .iter()
        .map(|d| (d.id, d.file_name.clone()))
        .collect();
    let name_of = move |id: uuid::Uuid| {
        names
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    let columns = headings(
        lang,
        &[
            (Msg::DocColFile, false),
            (Msg::DocColType, false),
            (Msg::DocColDescription, false),
            (Msg::DocColSize, true),
            (Msg::DocColConfidentiality, false),
            (Msg::DocColStatus, false),
            (Msg::DocColNotes, false),
        ],
    );
    view! {
        <table class="table documents-table" id="documents-table">
            <caption class="table__caption">{t(lang, Msg::DocsTableCaption)}</caption>
            <TableHead columns actions=removable.then(|| t(lang, Msg::DocColActions).to_string()) />
            <tbody>
                {documents
                    .into_iter()
                    .map(|d| {
                        let draft = d.submitted_at.is_none();
                        let (status_tag, status_class) = if draft {
                            (Msg::DocStatusDraft, "tag tag--draft")
                        } else {
                            (Msg::DocStatusSubmitted, "tag tag--submitted")
                        };
                        let when = match &d.submitted_at {
                            Some(time) => fmt::doc_submitted_at(lang, time),
                            None => fmt::doc_uploaded_at(lang, &d.uploaded_by, &d.uploaded_at),
                        };
                        let (scan_text, scan_class) = if d.scanned {
                            (Msg::DocScanned, "tag tag--scanned")
                        } else {
                            (Msg::DocNotScanned, "tag tag--not-scanned")
                        };
                        let replaces = d.supersedes.map(|id| fmt::doc_replaces(lang, name_of(id)));
                        let replaced_by = d.superseded_by.map(|id| fmt::doc_replaced_by(lang, name_of(id)));
                        let (remove_before, remove_after) = split_slot(&fmt::doc_remove_named(lang, SLOT));
                        view! {
                            <tr id=format!("document-{}", d.id) data-state=if draft { "draft" } else { "submitted" }>
                                <td class="documents-table__file">
                                    <a href=format!("/documents/{}", d.id) rel="external">{d.file_name.clone()}</a>
                                </td>
                                <td>{t(lang, doc_type_label(d.doc_type))}</td>
                                <td>{d.description.clone()}</td>
                                <td class="numeric">{size_text(lang, d.byte_size)}</td>
                                <td>{t(lang, confidentiality_label(d.confidentiality))}</td>
                                <td>
                                    <span class=status_class>{t(lang, status_tag)}</span>
                                    <span class="documents-table__when">{when}</span>
                                    <span class=scan_class>{t(lang, scan_text)}</span>
                                </td>
                                <td>
                                    {replaces.map(|text| view! { <span class="documents-table__note">{text}</span> })}
                                    {replaced_by.map(|text| view! { <span class="documents-table__note">{text}</span> })}
                                    {d.from_library.then(|| view! { <span class="documents-table__note">{t(lang, Msg::DocFromLibrary)}</span> })}
                                </td>
                                {removable.then(|| {
                                    let reference = reference.clone();
                                    view! {
                                        <td>
                                            {(draft && d.superseded_by.is_none()).then(|| view! {
                                                <ActionForm action=remove>
                                                    <input type="hidden" name="reference" value=reference.clone() />
                                                    <input type="hidden" name="id" value=d.id.to_string() />
                                                    <button type="submit" class="button button--secondary button--small">
                                                        {remove_before.clone()}
                                                        <span class="visually-hidden">{d.file_name.clone()}</span>
                                                        {remove_after.clone()}
                                                    </button>
                                                </ActionForm>
                                            })}
                                        </td>
                                    }
                                })}
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// The types the assessment calls for, each attached or missing.
#[component]
fn Suggestions(suggested: Vec<Suggestion>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <h3 class="heading-m" id="suggested-heading">{t(lang, Msg::DocsSuggestedHeading)}</h3>
        {if suggested.is_empty() {
            view! { <p class="body">{t(lang, Msg::DocsSuggestedNone)}</p> }.into_any()
        } else {
            view! {
                <ul class="checklist" id="suggested" aria-labelledby="suggested-heading">
                    {suggested
                        .into_iter()
                        .map(|s| {
                            let (tag, class) = if s.present {
                                (Msg::DocAttached, "tag tag--attached")
                            } else {
                                (Msg::DocMissing, "tag tag--missing")
                            };
                            view! {
                                <li class="checklist__item" data-type=s.doc_type.code() data-present=s.present.to_string()>
                                    <span class="checklist__name">{t(lang, doc_type_label(s.doc_type))}</span>
                                    <strong class=class>{t(lang, tag)}</strong>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        }}
    }
}

/// The upload form: a plain multipart post that works without JavaScript; once interactive,
/// each chosen file goes in its own request with a progress bar.
#[component]
fn UploadForm(
    reference: String,
    /// Documents a new version may replace.
    current: Vec<DocumentRow>,
    first_missing: Option<DocType>,
    limits: UploadLimits,
    upload: ScriptUpload,
    field_errors: Signal<FieldErrors>,
) -> impl IntoView {
    let lang = use_lang();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let files_ref = NodeRef::<leptos::html::Input>::new();
    let hint = fmt::doc_files_hint(
        lang,
        accepted_formats(),
        limits.max_files,
        size_text(lang, limits.max_file_bytes),
    );
    let hint = if limits.scanning {
        hint
    } else {
        format!("{hint} {}", t(lang, Msg::DocFilesNotScanned))
    };
    let type_options = DocType::ALL
        .into_iter()
        .map(|d| (d.code().to_string(), t(lang, doc_type_label(d)).to_string()))
        .collect();
    let version_options = current
        .iter()
        .map(|d| {
            (
                d.id.to_string(),
                format!("{} ({})", d.file_name, t(lang, doc_type_label(d.doc_type))),
            )
        })
        .collect();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        if script::intercept(form_ref, files_ref, upload) {
            ev.prevent_default();
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, form_ref, files_ref, upload);
    };
    view! {
        <h3 class="heading-m" id="upload-heading">{t(lang, Msg::DocUploadHeading)}</h3>
        <form
            method="post"
            enctype="multipart/form-data"
            action=format!("/assessments/{reference}/documents")
            id="upload"
            class="upload-form no-print"
            aria-labelledby="upload-heading"
            node_ref=form_ref
            on:submit=on_submit
        >
            <Select
                id="doc_type"
                label=t(lang, Msg::DocTypeLabel)
                empty=t(lang, Msg::ChooseOne)
                options=type_options
                selected=first_missing.map(|d| d.code().to_string()).unwrap_or_default()
                error=field_error(field_errors, "doc_type")
            />
            <TextField
                id="description"
                label=t(lang, Msg::DocDescriptionLabel)
                hint=t(lang, Msg::DocDescriptionHint)
                error=field_error(field_errors, "description")
            />
            <RadioGroup
                id="confidentiality"
                legend=t(lang, Msg::DocConfidentialityLegend)
                options=vec![
                    (Confidentiality::Normal.code(), t(lang, Msg::DocConfidentialityNormalOption)),
                    (Confidentiality::Confidential.code(), t(lang, Msg::DocConfidentialityConfidentialOption)),
                ]
                selected=Confidentiality::Normal.code()
                error=field_error(field_errors, "confidentiality")
            />
            {(!current.is_empty()).then(|| view! {
                <Select
                    id="supersedes"
                    label=t(lang, Msg::DocSupersedesLabel)
                    hint=t(lang, Msg::DocSupersedesHint)
                    empty=t(lang, Msg::DocSupersedesNone)
                    options=version_options
                    selected=String::new()
                    error=field_error(field_errors, "supersedes")
                />
            })}
            <FileField
                id="files"
                label=t(lang, Msg::DocFilesLabel)
                hint
                multiple=true
                error=field_error(field_errors, "files")
                node_ref=files_ref
            />
            <button type="submit" class="button" disabled=move || upload.busy.get()>
                {t(lang, Msg::DocUploadButton)}
            </button>
        </form>
        <div aria-live="polite" class="upload-progress" id="upload-progress">
            {move || {
                let files = upload.files.get();
                (!files.is_empty()).then(|| view! {
                    <h4 class="heading-s">{t(lang, Msg::DocProgressHeading)}</h4>
                    <ul class="upload-list" id="upload-list">
                        {files
                            .into_iter()
                            .map(|f| {
                                // One handle per reactive attribute or text.
                                let (for_class, for_data, for_bar, for_words) =
                                    (f.state.clone(), f.state.clone(), f.state.clone(), f.state);
                                view! {
                                    <li
                                        class=move || format!("upload-list__item upload-list__item--{}", for_class.get().code())
                                        data-state=move || for_data.get().code()
                                    >
                                        <span class="upload-list__name">{f.name.clone()}</span>
                                        <progress
                                            max="100"
                                            value=move || for_bar.get().percent()
                                            aria-label=fmt::doc_progress_of(lang, &f.name)
                                        ></progress>
                                        <span class="upload-list__state">{move || for_words.get().text(lang)}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                })
            }}
        </div>
    }
}

/// Attaching a library document: an ActionForm on `attach_from_library`.
#[component]
fn AttachForm(
    reference: String,
    choices: Vec<LibraryChoice>,
    attach: ServerAction<AttachFromLibrary>,
    field_errors: Signal<FieldErrors>,
) -> impl IntoView {
    let lang = use_lang();
    let options = choices
        .into_iter()
        .map(|c| {
            let doc_type = t(lang, doc_type_label(c.doc_type));
            let text = match c.valid_until {
                Some(until) => {
                    fmt::doc_library_choice_until(lang, doc_type, &c.file_name, &c.title, until)
                }
                None => fmt::doc_library_choice(lang, doc_type, &c.file_name, &c.title),
            };
            (c.id.to_string(), text)
        })
        .collect();
    let description_error = field_error(field_errors, "library_description");
    let confidentiality_error = field_error(field_errors, "library_confidentiality");
    view! {
        <h3 class="heading-m" id="attach-heading">{t(lang, Msg::DocLibraryHeading)}</h3>
        <p class="body">{t(lang, Msg::DocLibraryIntro)}</p>
        <ActionForm action=attach attr:id="attach" attr:class="no-print" attr:aria-labelledby="attach-heading">
            <input type="hidden" name="reference" value=reference />
            <Select
                id="library_id"
                label=t(lang, Msg::DocLibraryChoiceLabel)
                empty=t(lang, Msg::ChooseOne)
                options
                selected=String::new()
                error=field_error(field_errors, "library_id")
            />
            <div class=move || if description_error.get().is_some() { "form-group form-group--error" } else { "form-group" }>
                <label class="label" for="library_description">{t(lang, Msg::DocDescriptionLabel)}</label>
                <div class="hint" id="library_description-hint">{t(lang, Msg::DocDescriptionHint)}</div>
                {move || description_error.get().map(|e| view! { <p class="error-message" id="library_description-error">{e}</p> })}
                <input
                    class=move || if description_error.get().is_some() { "input input--error" } else { "input" }
                    id="library_description"
                    name="description"
                    type="text"
                    autocomplete="off"
                    aria-describedby=move || if description_error.get().is_some() { "library_description-hint library_description-error" } else { "library_description-hint" }
                    aria-invalid=move || description_error.get().is_some().then_some("true")
                />
            </div>
            <div class=move || if confidentiality_error.get().is_some() { "form-group form-group--error" } else { "form-group" }>
                <fieldset class="fieldset" id="library_confidentiality">
                    <legend class="label">{t(lang, Msg::DocConfidentialityLegend)}</legend>
                    {move || confidentiality_error.get().map(|e| view! { <p class="error-message">{e}</p> })}
                    <div class="radios">
                        {[
                            (Confidentiality::Normal, Msg::DocConfidentialityNormalOption),
                            (Confidentiality::Confidential, Msg::DocConfidentialityConfidentialOption),
                        ]
                            .into_iter()
                            .map(|(level, label)| {
                                let option_id = format!("library_confidentiality-{}", level.code());
                                view! {
                                    <div class="radio">
                                        <input type="radio" id=option_id.clone() name="confidentiality" value=level.code() checked=level == Confidentiality::Normal />
                                        <label for=option_id>{t(lang, label)}</label>
                                    </div>
                                }
                            })
                            .collect_view()}
                    </div>
                </fieldset>
            </div>
            <button type="submit" class="button button--secondary">{t(lang, Msg::DocLibraryAttach)}</button>
        </ActionForm>
    }
}

/// The browser side of the upload form: one request per file, in turn, each with its bar.
#[cfg(feature = "hydrate")]
mod script {
    use std::rc::Rc;

    use leptos::prelude::*;
    use leptos::server_fn::codec::JsonEncoding;
    use leptos::server_fn::{Bytes, Decodes};
    use serde::Deserialize;
    use wasm_bindgen::JsCast;

    use super::{FileProgress, FileState, ScriptUpload};
    use crate::components::upload::browser::{Answer, send_file};
    use crate::features::documents::FileAnswer;

    /// The route's answer to a wrong form (422).
    #[derive(Deserialize)]
    struct FormProblems {
        errors: Vec<Problem>,
    }

    #[derive(Deserialize)]
    struct Problem {
        field: String,
        message: String,
    }

    struct Batch {
        form: web_sys::HtmlFormElement,
        files: Vec<web_sys::File>,
        upload: ScriptUpload,
    }

    /// Starts sending the chosen files, if there are any and no upload is under way; true when
    /// the form's own submission is to be stopped. Without a file the form posts as usual
    /// and the route says what is missing.
    pub fn intercept(
        form: NodeRef<leptos::html::Form>,
        input: NodeRef<leptos::html::Input>,
        upload: ScriptUpload,
    ) -> bool {
        if upload.busy.get_untracked() {
            return true;
        }
        let (Some(form), Some(input)) = (form.get_untracked(), input.get_untracked()) else {
            return false;
        };
        let files: Vec<web_sys::File> = match input.files() {
            Some(list) => (0..list.length()).filter_map(|i| list.get(i)).collect(),
            None => Vec::new(),
        };
        if files.is_empty() {
            return false;
        }
        upload.files.set(
            files
                .iter()
                .map(|f| FileProgress {
                    name: f.name(),
                    state: ArcRwSignal::new(FileState::Waiting),
                })
                .collect(),
        );
        upload.errors.set(Vec::new());
        upload.started.set(true);
        upload.busy.set(true);
        send(
            Rc::new(Batch {
                form,
                files,
                upload,
            }),
            0,
        );
        true
    }

    fn set_state(upload: ScriptUpload, index: usize, state: FileState) {
        // The page may have been left meanwhile: then there is nothing to update.
        let Some(Some(signal)) = upload
            .files
            .try_with_untracked(|files| files.get(index).map(|f| f.state.clone()))
        else {
            return;
        };
        if signal.get_untracked() != state {
            signal.set(state);
        }
    }

    fn send(batch: Rc<Batch>, index: usize) {
        let upload = batch.upload;
        let Some(file) = batch.files.get(index) else {
            let _ = upload.busy.try_set(false);
            let _ = upload.finished.try_update(|n| *n += 1);
            return;
        };
        set_state(upload, index, FileState::Sending(0));
        let next = batch.clone();
        let started = send_file(
            &batch.form,
            "files",
            file,
            move |share| {
                let state = if share >= 1.0 {
                    FileState::Checking
                } else {
                    // In steps of ten, so the live region is not read out at every event.
                    FileState::Sending(((share * 10.0).floor() as u8) * 10)
                };
                set_state(upload, index, state);
            },
            move |answer| {
                if read(upload, index, answer) {
                    send(next, index + 1);
                } else {
                    for rest in index..next.files.len() {
                        set_state(upload, rest, FileState::NotSent);
                    }
                    let _ = upload.busy.try_set(false);
                    focus_summary();
                }
            },
        );
        if !started {
            set_state(upload, index, FileState::Failed);
            send(batch.clone(), index + 1);
        }
    }

    /// Records one file's answer; false when the form itself was wrong (nothing more is sent).
    fn read(upload: ScriptUpload, index: usize, answer: Answer) -> bool {
        let body = Bytes::from(answer.body.into_bytes());
        match answer.status {
            200 | 413 => {
                let state = match <JsonEncoding as Decodes<Vec<FileAnswer>>>::decode(body) {
                    Ok(answers) => match answers.into_iter().next() {
                        Some(a) if a.document_id.is_some() => FileState::Accepted(a.message),
                        Some(a) => FileState::Refused(a.message),
                        None => FileState::Failed,
                    },
                    Err(_) => FileState::Failed,
                };
                set_state(upload, index, state);
                true
            }
            422 => {
                let problems = <JsonEncoding as Decodes<FormProblems>>::decode(body)
                    .map(|p| p.errors)
                    .unwrap_or_default();
                let _ = upload
                    .errors
                    .try_set(problems.into_iter().map(|p| (p.field, p.message)).collect());
                false
            }
            _ => {
                set_state(upload, index, FileState::Failed);
                true
            }
        }
    }

    /// Moves focus to the error summary once it is drawn, as after a posted form.
    fn focus_summary() {
        request_animation_frame(|| {
            if let Some(summary) = document()
                .query_selector("#documents .error-summary")
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = summary.focus();
            }
        });
    }
}

/// Check your answers before submitting: the drafts, a declaration, the submit button.
#[component]
pub fn SubmitDocumentsPage() -> impl IntoView {
    let lang = use_lang();
    let reference = reference_param();
    let submit = ServerAction::<SubmitDocuments>::new();
    let errors = errors_of(submit.value(), lang);
    let documents = Resource::new_blocking(move || reference.clone(), assessment_documents);
    view! {
        <Title text=t(lang, Msg::SubmitTitle) />
        <h1 class="heading-xl">{t(lang, Msg::SubmitTitle)}</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match documents.await {
                    Err(e) => load_error(lang, e),
                    Ok(docs) if !docs.trader_side => view! {
                        <p class="error-message">{t(lang, Msg::ErrorNotAllowed)}</p>
                    }
                    .into_any(),
                    Ok(docs) => view! { <SubmitView docs submit errors /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SubmitView(
    docs: AssessmentDocuments,
    submit: ServerAction<SubmitDocuments>,
    errors: Signal<FieldErrors>,
) -> impl IntoView {
    let lang = use_lang();
    let back = format!("/assessments/{}#documents", docs.reference);
    let drafts: Vec<DocumentRow> = docs
        .documents
        .iter()
        .filter(|d| d.submitted_at.is_none())
        .cloned()
        .collect();
    let missing: Vec<&str> = docs
        .suggested
        .iter()
        .filter(|s| !s.present)
        .map(|s| t(lang, doc_type_label(s.doc_type)))
        .collect();
    let confirm_error = field_error(errors, "confirm");
    let (change_before, change_after) = split_slot(&fmt::answer_change_named(lang, SLOT));
    view! {
        <p class="body">{fmt::submit_intro(lang, &docs.reference)}</p>
        <ErrorSummary errors />
        <h2 class="heading-m" id="documents-heading">{t(lang, Msg::SubmitDocumentsHeading)}</h2>
        {if drafts.is_empty() {
            view! { <p class="body" id="documents">{t(lang, Msg::SubmitNothing)}</p> }.into_any()
        } else {
            view! {
                <dl class="summary-list" id="documents">
                    {drafts
                        .into_iter()
                        .map(|d| view! {
                            <div class="summary-list__row summary-list__row--actions">
                                <dt>{d.file_name.clone()}</dt>
                                <dd>
                                    {fmt::submit_document_details(
                                        lang,
                                        t(lang, confidentiality_label(d.confidentiality)),
                                        t(lang, doc_type_label(d.doc_type)),
                                        size_text(lang, d.byte_size),
                                    )}
                                    <br />
                                    <span class="hint">{d.description.clone()}</span>
                                </dd>
                                <dd class="summary-list__actions">
                                    <a href=back.clone()>
                                        {change_before.clone()}
                                        <span class="visually-hidden">{d.file_name.clone()}</span>
                                        {change_after.clone()}
                                    </a>
                                </dd>
                            </div>
                        })
                        .collect_view()}
                </dl>
            }
            .into_any()
        }}
        {(!missing.is_empty()).then(|| view! {
            <div class="inset"><p class="body">{fmt::submit_missing_types(lang, missing.join(", "))}</p></div>
        })}
        <h2 class="heading-m">{t(lang, Msg::SubmitDeclarationHeading)}</h2>
        <p class="body">{t(lang, Msg::SubmitDeclarationText)}</p>
        <ActionForm action=submit attr:id="submit-form">
            <input type="hidden" name="reference" value=docs.reference.clone() />
            <div class=move || if confirm_error.get().is_some() { "form-group form-group--error" } else { "form-group" }>
                {move || confirm_error.get().map(|e| view! { <p class="error-message" id="confirm-error">{e}</p> })}
                <div class="radio">
                    <input
                        type="checkbox"
                        id="confirm"
                        name="confirm"
                        value="yes"
                        aria-describedby=move || confirm_error.get().is_some().then_some("confirm-error")
                        aria-invalid=move || confirm_error.get().is_some().then_some("true")
                    />
                    <label for="confirm">{t(lang, Msg::SubmitConfirmLabel)}</label>
                </div>
            </div>
            <div class="button-group">
                <button type="submit" class="button">{t(lang, Msg::SubmitButton)}</button>
                <a href=back.clone()>{t(lang, Msg::DocBackToAssessment)}</a>
            </div>
        </ActionForm>
    }
}

/// The receipt of the latest submission, to print or keep.
#[component]
pub fn ReceiptPage() -> impl IntoView {
    let lang = use_lang();
    let reference = reference_param();
    let found = Resource::new_blocking(move || reference.clone(), receipt);
    view! {
        <IslandScripts />
        <Suspense>
            {move || Suspend::new(async move {
                match found.await {
                    Err(AppError::Unauthenticated) => view! { <Redirect path="/sign-in" /> }.into_any(),
                    Err(e) => view! {
                        <Title text=t(lang, Msg::ReceiptTitle) />
                        <h1 class="heading-xl">{t(lang, Msg::ReceiptTitle)}</h1>
                        <p class="error-message">{e.user_message(lang)}</p>
                    }
                    .into_any(),
                    Ok(r) => {
                        let title = fmt::receipt_title_ref(lang, &r.reference);
                        let columns = headings(
                            lang,
                            &[
                                (Msg::DocColFile, false),
                                (Msg::DocColType, false),
                                (Msg::DocColSize, true),
                                (Msg::ReceiptColSha, false),
                                (Msg::ReceiptColUploaded, false),
                            ],
                        );
                        view! {
                            <Title text=title.clone() />
                            <h1 class="heading-xl">{title}</h1>
                            <p class="body">{t(lang, Msg::ReceiptIntro)}</p>
                            <dl class="summary-list" id="receipt-summary">
                                <div class="summary-list__row"><dt>{t(lang, Msg::ColReference)}</dt><dd id="receipt-reference">{r.reference.clone()}</dd></div>
                                <div class="summary-list__row"><dt>{t(lang, Msg::ReceiptOrganisation)}</dt><dd>{r.owner_name.clone()}</dd></div>
                                <div class="summary-list__row"><dt>{t(lang, Msg::ReceiptSubmittedAt)}</dt><dd id="receipt-submitted-at">{r.submitted_at.clone()}</dd></div>
                                <div class="summary-list__row"><dt>{t(lang, Msg::ReceiptSubmittedBy)}</dt><dd>{r.submitted_by.clone()}</dd></div>
                            </dl>
                            <div class="button-group no-print">
                                <PrintButton label=t(lang, Msg::ReceiptPrint) />
                                <a href=format!("/assessments/{}#documents", r.reference)>{t(lang, Msg::DocBackToAssessment)}</a>
                            </div>
                            <p class="hint no-print">{t(lang, Msg::ReceiptPrintHint)}</p>
                            <table class="table receipt-table" id="receipt">
                                <caption class="table__caption">{t(lang, Msg::ReceiptTableCaption)}</caption>
                                <TableHead columns />
                                <tbody>
                                    {r.documents
                                        .into_iter()
                                        .enumerate()
                                        .map(|(i, d)| {
                                            let n = i + 1;
                                            view! {
                                                <tr id=format!("receipt-row-{n}")>
                                                    <td id=format!("receipt-name-{n}" ) class="receipt-table__name">{d.file_name.clone()}</td>
                                                    <td>{t(lang, doc_type_label(d.doc_type))}</td>
                                                    <td class="numeric">{fmt::receipt_size_bytes(lang, d.byte_size, size_text(lang, d.byte_size))}</td>
                                                    <td><code class="receipt-table__sha" id=format!("receipt-sha-{n}")>{d.sha256.clone()}</code></td>
                                                    <td>{d.uploaded_at.clone()}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
