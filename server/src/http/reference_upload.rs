//! `POST /admin/reference/import`: the reference-data upload (multipart form: `kind`,
//! `skip_bad_lines`, `file`). Runs the same importers as the command line, stores what happened
//! as an import report and redirects (303) to the page that shows it, so the form works without
//! JavaScript. Only valuation administrators may use it (asked before the form is read); the
//! same-origin rule guards it like every other POST. The work is in
//! `app::features::reference::service`.

use axum::Extension;
use axum::extract::{Multipart, State};
use axum::response::Redirect;

use app::features::reference::service::{Upload, UploadKind, import_upload};
use app::i18n::{Lang, Msg, t};

use super::caller::ReferenceImporter;
use super::error::HttpError;
use super::state::AppState;

pub async fn upload(
    State(state): State<AppState>,
    caller: ReferenceImporter,
    Extension(lang): Extension<Lang>,
    form: Multipart,
) -> Result<Redirect, HttpError> {
    let upload = read_form(form, lang).await?;
    let id = import_upload(
        &state.pool,
        &state.settings.bands,
        &caller.session,
        &caller.client_addr,
        upload,
    )
    .await
    .map_err(HttpError::page(lang))?;
    state.reference.bump();
    Ok(Redirect::to(&format!(
        "/admin/reference?report={id}#import-result"
    )))
}

/// The form's fields, read into an upload: a known kind and a file are needed.
async fn read_form(mut form: Multipart, lang: Lang) -> Result<Upload, HttpError> {
    let (mut kind, mut skip_bad_lines, mut file_name, mut bytes) =
        (None, false, String::new(), None);
    while let Some(field) = form.next_field().await.map_err(HttpError::form(lang))? {
        match field.name() {
            Some("kind") => kind = field.text().await.ok(),
            Some("skip_bad_lines") => {
                skip_bad_lines = field.text().await.is_ok_and(|v| v == "true");
            }
            Some("file") => {
                file_name = field
                    .file_name()
                    .unwrap_or("upload.csv")
                    .chars()
                    .take(200)
                    .collect();
                bytes = Some(field.bytes().await.map_err(HttpError::form(lang))?);
            }
            _ => {}
        }
    }
    let (Some(kind), Some(bytes)) = (kind, bytes) else {
        return Err(HttpError::bad_form(
            t(lang, Msg::RefUploadChooseKindAndFile),
            lang,
        ));
    };
    let kind = UploadKind::parse(&kind)
        .ok_or_else(|| HttpError::bad_form(t(lang, Msg::RefUploadUnknownKind), lang))?;
    Ok(Upload {
        kind,
        skip_bad_lines,
        file_name,
        bytes: bytes.into(),
    })
}
