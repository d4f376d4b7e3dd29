//! Parts of the document upload forms: the file input with its hint and error, the accepted
//! formats as the hint lists them and as the input's `accept`, the files an upload route sent
//! back (read from the address after a no-JavaScript post), and, in the browser, one file sent
//! with `XMLHttpRequest` so a page can show its progress (`fetch` reports no upload progress).

use leptos::prelude::*;

use crate::components::form::{FieldErrors, described_by};
use crate::domain::documents::{FileFormat, Refusal, UploadLimits, format_size};
use crate::i18n::{Lang, Msg, fmt, t};
use crate::labels::refusal_message;

/// A file's size as people read it, with the decimal mark of `lang`.
pub fn size_text(lang: Lang, bytes: u64) -> String {
    format_size(bytes, lang == Lang::Es)
}

/// The accepted formats by the names people know them, for a hint.
pub fn accepted_formats() -> String {
    FileFormat::ALL.map(FileFormat::display_name).join(", ")
}

/// The file input's `accept`: every extension of every accepted format (the browser only
/// narrows its picker with it; the server decides from the content).
pub fn accept_attribute() -> String {
    FileFormat::ALL
        .iter()
        .flat_map(|f| f.extensions())
        .map(|e| format!(".{e}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// A labelled file input (`multiple` for several files) with its hint and error, wired with
/// `aria-describedby`; it is the last field of its form, so the route reads the text fields
/// before any file.
#[component]
pub fn FileField(
    id: &'static str,
    label: &'static str,
    hint: String,
    #[prop(into, optional)] error: MaybeProp<String>,
    #[prop(optional)] multiple: bool,
    #[prop(optional)] node_ref: NodeRef<leptos::html::Input>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let has_error = move || error.get().is_some();
    let described_by = described_by(Some(hint_id.clone()), error_id.clone(), has_error);
    view! {
        <div class=move || if has_error() { "form-group form-group--error" } else { "form-group" }>
            <label class="label" for=id>{label}</label>
            <div class="hint" id=hint_id.clone()>{hint}</div>
            {move || error.get().map(|e| view! { <p class="error-message" id=error_id.clone()>{e}</p> })}
            <input
                class="file-upload"
                type="file"
                id=id
                name=id
                multiple=multiple
                accept=accept_attribute()
                aria-describedby=described_by
                aria-invalid=move || has_error().then_some("true")
                node_ref=node_ref
            />
        </div>
    }
}

/// The files an upload route refused, from the `r` parameters it redirected with
/// (`code|file name|detail`), as messages for an error summary pointing at `field`.
pub fn refused_in_query(
    lang: Lang,
    limits: &UploadLimits,
    values: Vec<String>,
    field: &str,
) -> FieldErrors {
    // The address is the visitor's to edit: keep it short and printable.
    let clean = |s: &str| -> String { s.chars().filter(|c| !c.is_control()).take(255).collect() };
    values
        .iter()
        .map(|value| {
            let (code, rest) = value.split_once('|').unwrap_or((value, ""));
            let (file, detail) = rest.rsplit_once('|').unwrap_or((rest, ""));
            let message = match Refusal::parse(code) {
                Some(refusal) => refusal_message(lang, refusal, limits, &clean(detail)),
                None => t(lang, Msg::DocRefusedUnknown).to_string(),
            };
            let file = clean(file);
            let message = if file.is_empty() {
                message
            } else {
                fmt::doc_refused_file(lang, file, message)
            };
            (field.to_string(), message)
        })
        .collect()
}

/// Sending one file of a form from the browser.
#[cfg(feature = "hydrate")]
pub mod browser {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use web_sys::{File, FormData, HtmlFormElement, ProgressEvent, XmlHttpRequest};

    /// How a request ended: the status (0 when it failed on the way) and the body.
    pub struct Answer {
        pub status: u16,
        pub body: String,
    }

    /// Posts `form`'s fields with `file` alone under `field` (replacing what the form's own
    /// file input holds) to the form's action, asking for JSON (`Accept: application/json`).
    /// `on_progress` gets the share of the body sent so far (0 to 1); `on_done` the answer,
    /// however the request ends. False when the request could not even start.
    pub fn send_file(
        form: &HtmlFormElement,
        field: &str,
        file: &File,
        mut on_progress: impl FnMut(f64) + 'static,
        on_done: impl FnOnce(Answer) + 'static,
    ) -> bool {
        let Ok(data) = FormData::new_with_form(form) else {
            return false;
        };
        data.delete(field);
        if data
            .append_with_blob_and_filename(field, file, &file.name())
            .is_err()
        {
            return false;
        }
        let Ok(request) = XmlHttpRequest::new() else {
            return false;
        };
        if request.open("POST", &form.action()).is_err()
            || request
                .set_request_header("Accept", "application/json")
                .is_err()
        {
            return false;
        }
        let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |event: ProgressEvent| {
            if event.length_computable() && event.total() > 0.0 {
                on_progress((event.loaded() / event.total()).min(1.0));
            }
        });
        if let Ok(upload) = request.upload() {
            upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
        }
        let ended = request.clone();
        // `loadend` fires once, however the request ends; the progress handler is dropped
        // then (it is not the one running, and no progress event follows `loadend`).
        let done = Closure::once_into_js(move || {
            drop(progress);
            on_done(Answer {
                status: ended.status().unwrap_or(0),
                body: ended.response_text().ok().flatten().unwrap_or_default(),
            });
        });
        request.set_onloadend(Some(done.unchecked_ref()));
        request.send_with_opt_form_data(Some(&data)).is_ok()
    }
}
