//! The company evidence library: the list with its filters (a plain GET form), what ends within
//! the warning period or has ended, and the form that adds a document or a new version (a plain
//! multipart post; its results come back in the address).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use super::{LibraryFilter, LibraryList, LibraryRow, library_list};
use crate::components::form::{ErrorSummary, FieldErrors, Select, TextField};
use crate::components::table::TableHead;
use crate::components::upload::{FileField, accepted_formats, refused_in_query, size_text};
use crate::context::use_lang;
use crate::domain::documents::{DocType, EXPIRY_WARNING_DAYS, Validity};
use crate::domain::nomenclature::dotted;
use crate::error::AppError;
use crate::i18n::{Lang, Msg, SLOT, fmt, split_slot, t};
use crate::labels::{doc_type_label, validity_label};

fn filter_from_query(query: &leptos_router::params::ParamsMap) -> LibraryFilter {
    let get = |name: &str| query.get(name).unwrap_or_default();
    LibraryFilter {
        doc_type: get("doc_type"),
        supplier: get("supplier"),
        code: get("code"),
        validity: get("validity"),
    }
}

/// The message for a field the add route named in `error=` (the form was wrong).
fn form_error_message(lang: Lang, field: &str) -> Option<(String, String)> {
    let msg = match field {
        "doc_type" => Msg::FilingDocTypeMissing,
        "title" => Msg::FilingTitleMissing,
        "supplier" => Msg::ErrorTooLong,
        "tariff_codes" => Msg::FilingTariffCodesInvalid,
        "valid_from" => Msg::FilingValidFromMissing,
        "valid_until" => Msg::FilingValidUntilBefore,
        "supersedes" => Msg::FilingLibrarySupersedesInvalid,
        "file" => Msg::FilingNoFile,
        _ => return None,
    };
    Some((field.to_string(), t(lang, msg).to_string()))
}

/// The filter form's fields carry ids of their own (the add form uses the same names).
fn filter_field_id(field: &str) -> String {
    format!("filter_{field}")
}

#[component]
pub fn LibraryPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let list = Resource::new_blocking(move || query.with(filter_from_query), library_list);
    view! {
        <Title text=t(lang, Msg::LibraryTitle) />
        <h1 class="heading-xl">{t(lang, Msg::LibraryTitle)}</h1>
        <Suspense>
            {move || Suspend::new(async move {
                let filter = query.with_untracked(filter_from_query);
                match list.await {
                    Err(AppError::Unauthenticated) => view! { <Redirect path="/sign-in" /> }.into_any(),
                    Err(AppError::Fields(problems)) => {
                        let problems: FieldErrors = problems
                            .into_iter()
                            .map(|(field, message)| (filter_field_id(&field), message))
                            .collect();
                        view! {
                            <ErrorSummary errors=Signal::stored(problems.clone()) />
                            <FilterForm filter errors=problems />
                        }
                        .into_any()
                    }
                    Err(e) => view! { <p class="error-message">{e.user_message(lang)}</p> }.into_any(),
                    Ok(list) => view! { <LibraryView list filter /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn LibraryView(list: LibraryList, filter: LibraryFilter) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let (added, supersedes, errors) = query.with_untracked(|q| {
        let mut errors = refused_in_query(
            lang,
            &list.limits,
            q.get_all("r").unwrap_or_default(),
            "file",
        );
        errors.extend(
            q.get_all("error")
                .unwrap_or_default()
                .iter()
                .filter_map(|field| form_error_message(lang, field)),
        );
        (
            q.get("added").is_some_and(|n| n != "0"),
            q.get("supersedes").unwrap_or_default(),
            errors,
        )
    });
    let (before, after) = split_slot(&fmt::library_intro_for(lang, SLOT));
    let can_manage = list.can_manage;
    let current: Vec<LibraryRow> = list
        .rows
        .iter()
        .filter(|r| r.superseded_by.is_none())
        .cloned()
        .collect();
    view! {
        <p class="body">{before}<strong>{list.owner_name.clone()}</strong>{after}</p>
        {added.then(|| view! { <p class="notice" id="library-added" role="status">{t(lang, Msg::LibraryAdded)}</p> })}
        <ErrorSummary errors=Signal::stored(errors.clone()) />
        <FilterForm filter errors=Vec::new() />
        <EndingPanels expiring=list.expiring.clone() expired=list.expired.clone() />
        <h2 class="heading-l" id="library-documents-heading">{t(lang, Msg::LibraryDocumentsHeading)}</h2>
        <LibraryTable rows=list.rows.clone() can_manage />
        {can_manage.then(|| view! { <AddForm current supersedes errors limits=list.limits.clone() /> })}
    }
}

#[component]
fn FilterForm(filter: LibraryFilter, errors: FieldErrors) -> impl IntoView {
    let lang = use_lang();
    let error = |field: &str| {
        let id = filter_field_id(field);
        errors
            .iter()
            .find(|(f, _)| *f == id)
            .map(|(_, m)| m.clone())
    };
    let types = DocType::ALL
        .into_iter()
        .map(|d| (d.code().to_string(), t(lang, doc_type_label(d)).to_string()))
        .collect();
    let validities = Validity::ALL
        .into_iter()
        .map(|v| (v.code().to_string(), t(lang, validity_label(v)).to_string()))
        .collect();
    view! {
        <form method="get" action="/library" class="filter-form no-print" id="library-filter">
            <Select
                id="filter_doc_type"
                name="doc_type"
                label=t(lang, Msg::LibraryFilterType)
                empty=t(lang, Msg::LibraryFilterAnyType)
                options=types
                selected=filter.doc_type.clone()
                error=error("doc_type")
            />
            <FilterInput id="filter_supplier" name="supplier" label=t(lang, Msg::LibraryFilterSupplier) value=filter.supplier.clone() error=error("supplier") />
            <FilterInput id="filter_code" name="code" label=t(lang, Msg::LibraryFilterCode) value=filter.code.clone() error=error("code") />
            <Select
                id="filter_validity"
                name="validity"
                label=t(lang, Msg::LibraryFilterValidity)
                empty=t(lang, Msg::LibraryFilterAnyValidity)
                options=validities
                selected=filter.validity.clone()
                error=error("validity")
            />
            <button type="submit" class="button button--secondary">{t(lang, Msg::FilterApply)}</button>
        </form>
    }
}

/// A text input of the filter form (its id differs from its name).
#[component]
fn FilterInput(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    value: String,
    error: Option<String>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let has_error = error.is_some();
    view! {
        <div class=if has_error { "form-group form-group--error" } else { "form-group" }>
            <label class="label" for=id>{label}</label>
            {error.map(|e| view! { <p class="error-message" id=error_id.clone()>{e}</p> })}
            <input
                class=if has_error { "input input--error" } else { "input" }
                id=id
                name=name
                type="text"
                autocomplete="off"
                value=value
                aria-describedby=has_error.then(|| error_id.clone())
                aria-invalid=has_error.then_some("true")
            />
        </div>
    }
}

/// What ends within the warning period, and what has ended (current versions only).
#[component]
fn EndingPanels(expiring: Vec<LibraryRow>, expired: Vec<LibraryRow>) -> impl IntoView {
    let lang = use_lang();
    let item = move |r: &LibraryRow, expired: bool| {
        let until = r.valid_until.map(|d| d.to_string()).unwrap_or_default();
        let text = if expired {
            fmt::library_expired_item(lang, &r.title, until)
        } else {
            fmt::library_expiring_item(lang, &r.title, until)
        };
        view! { <li><a href=format!("/library/documents/{}", r.id) rel="external">{text}</a></li> }
    };
    view! {
        {(!expiring.is_empty()).then(|| view! {
            <section class="panel panel--warning" id="library-expiring" aria-labelledby="library-expiring-heading">
                <h2 class="heading-m" id="library-expiring-heading">{fmt::library_expiring_heading(lang, EXPIRY_WARNING_DAYS)}</h2>
                <ul class="list--bullet">{expiring.iter().map(|r| item(r, false)).collect_view()}</ul>
            </section>
        })}
        {(!expired.is_empty()).then(|| view! {
            <section class="panel panel--expired" id="library-expired" aria-labelledby="library-expired-heading">
                <h2 class="heading-m" id="library-expired-heading">{t(lang, Msg::LibraryExpiredHeading)}</h2>
                <ul class="list--bullet">{expired.iter().map(|r| item(r, true)).collect_view()}</ul>
            </section>
        })}
    }
}

#[component]
fn LibraryTable(rows: Vec<LibraryRow>, can_manage: bool) -> impl IntoView {
    let lang = use_lang();
    if rows.is_empty() {
        return view! { <p class="body" id="library-none">{t(lang, Msg::LibraryNone)}</p> }
            .into_any();
    }
    let columns = crate::components::table::headings(
        lang,
        &[
            (Msg::LibraryColTitle, false),
            (Msg::DocColType, false),
            (Msg::LibraryFilterSupplier, false),
            (Msg::LibraryColCodes, false),
            (Msg::LibraryColValidity, false),
            (Msg::DocColSize, true),
        ],
    );
    view! {
        <table class="table library-table" id="library">
            <caption class="table__caption">{t(lang, Msg::LibraryTableCaption)}</caption>
            <TableHead columns actions=can_manage.then(|| t(lang, Msg::DocColActions).to_string()) />
            <tbody>
                {rows
                    .into_iter()
                    .map(|r| {
                        let codes = if r.tariff_codes.is_empty() {
                            t(lang, Msg::LibraryAnyCode).to_string()
                        } else {
                            r.tariff_codes.iter().map(|c| dotted(c)).collect::<Vec<_>>().join(", ")
                        };
                        let range = match r.valid_until {
                            Some(until) => fmt::library_valid_range(lang, r.valid_from, until),
                            None => fmt::library_valid_from(lang, r.valid_from),
                        };
                        let current = r.superseded_by.is_none();
                        view! {
                            <tr id=format!("library-{}", r.id) data-validity=r.validity.code()>
                                <td>
                                    <a href=format!("/library/documents/{}", r.id) rel="external">{r.title.clone()}</a>
                                    <span class="documents-table__note hint">{r.file_name.clone()}</span>
                                    {r.supersedes.is_some().then(|| view! { <span class="documents-table__note">{t(lang, Msg::LibraryReplaces)}</span> })}
                                    {(!current).then(|| view! { <span class="documents-table__note">{t(lang, Msg::LibraryReplacedBy)}</span> })}
                                </td>
                                <td>{t(lang, doc_type_label(r.doc_type))}</td>
                                <td>{r.supplier.clone()}</td>
                                <td class="code">{codes}</td>
                                <td>
                                    <span class="documents-table__note">{range}</span>
                                    <span class=format!("tag tag--validity-{}", r.validity.code())>{t(lang, validity_label(r.validity))}</span>
                                </td>
                                <td class="numeric">{size_text(lang, r.byte_size)}</td>
                                {can_manage.then(|| view! {
                                    <td>
                                        {current.then(|| view! {
                                            <a href=format!("/library?supersedes={}#add", r.id) rel="external" aria-label=fmt::library_new_version_of(lang, &r.title)>
                                                {t(lang, Msg::LibraryNewVersion)}
                                            </a>
                                        })}
                                    </td>
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

/// Adding a document, or a new version of `supersedes` (a library id from the address).
#[component]
fn AddForm(
    current: Vec<LibraryRow>,
    supersedes: String,
    errors: FieldErrors,
    limits: crate::domain::documents::UploadLimits,
) -> impl IntoView {
    let lang = use_lang();
    let error = |field: &str| -> Option<String> {
        errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.clone())
    };
    let replaced = current.iter().find(|r| r.id.to_string() == supersedes);
    let heading = if replaced.is_some() {
        Msg::LibraryAddVersionHeading
    } else {
        Msg::LibraryAddHeading
    };
    let selected_type = replaced
        .map(|r| r.doc_type.code().to_string())
        .unwrap_or_default();
    let types = DocType::ALL
        .into_iter()
        .map(|d| (d.code().to_string(), t(lang, doc_type_label(d)).to_string()))
        .collect();
    let versions = current
        .iter()
        .map(|r| (r.id.to_string(), format!("{} ({})", r.title, r.file_name)))
        .collect();
    let hint = fmt::library_file_hint(
        lang,
        accepted_formats(),
        size_text(lang, limits.max_file_bytes),
    );
    view! {
        <h2 class="heading-l" id="add-heading">{t(lang, heading)}</h2>
        <form
            method="post"
            enctype="multipart/form-data"
            action="/library/documents"
            id="add"
            class="no-print"
            aria-labelledby="add-heading"
        >
            <Select
                id="doc_type"
                label=t(lang, Msg::DocTypeLabel)
                empty=t(lang, Msg::ChooseOne)
                options=types
                selected=selected_type
                error=error("doc_type")
            />
            <TextField id="title" label=t(lang, Msg::LibraryTitleLabel) hint=t(lang, Msg::LibraryTitleHint) error=error("title") value=replaced.map(|r| r.title.clone()) />
            <TextField id="supplier" label=t(lang, Msg::LibrarySupplierLabel) hint=t(lang, Msg::LibrarySupplierHint) error=error("supplier") value=replaced.map(|r| r.supplier.clone()) />
            <TextField
                id="tariff_codes"
                label=t(lang, Msg::LibraryCodesLabel)
                hint=t(lang, Msg::LibraryCodesHint)
                error=error("tariff_codes")
                value=replaced.map(|r| r.tariff_codes.iter().map(|c| dotted(c)).collect::<Vec<_>>().join(", "))
            />
            <TextField id="valid_from" label=t(lang, Msg::LibraryValidFromLabel) hint=t(lang, Msg::DateHint) error=error("valid_from") input_type="date" />
            <TextField id="valid_until" label=t(lang, Msg::LibraryValidUntilLabel) hint=t(lang, Msg::DateHint) error=error("valid_until") input_type="date" />
            {(!current.is_empty()).then(|| view! {
                <Select
                    id="supersedes"
                    label=t(lang, Msg::LibrarySupersedesLabel)
                    empty=t(lang, Msg::LibrarySupersedesNone)
                    options=versions
                    selected=supersedes.clone()
                    error=error("supersedes")
                />
            })}
            <FileField id="file" label=t(lang, Msg::LibraryFileLabel) hint error=error("file") />
            <button type="submit" class="button">{t(lang, Msg::LibraryAddButton)}</button>
        </form>
    }
}
