//! The company library's routes, thin over `app::features::library::service`:
//! `POST /library/documents` (multipart: `doc_type`, `title`, `supplier`, `tariff_codes`,
//! `valid_from`, `valid_until`, optional `supersedes`, then one `file`) for compliance users and
//! admins, answered with a redirect (303) to `/library?added=1`, `/library?r=code|file|#add`
//! (the file refused) or `/library?error=field...#add` (a wrong form), or 413 with a page when
//! the file passes the size limit; and `GET /library/documents/{id}`, the file, for whoever
//! reads that library.

use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use app::domain::documents::Refusal;
use app::features::documents::FileAnswer;
use app::features::documents::service::FileResult;
use app::features::library::service::{self, Added, LibraryForm};
use app::i18n::{Msg, t};

use super::caller::DocumentsCaller;
use super::documents::{file_response, short, small_text, too_large_page};
use super::error::HttpError;
use super::state::AppState;

/// `POST /library/documents`.
pub async fn upload(
    State(state): State<AppState>,
    caller: DocumentsCaller,
    mut form: Multipart,
) -> Result<Response, HttpError> {
    let lang = caller.caller.lang;
    let (session, owner) =
        service::manager(Some(&caller.session)).map_err(HttpError::page(lang))?;
    let mut fields = LibraryForm::default();
    let file = loop {
        let Some(mut field) = form.next_field().await.map_err(HttpError::form(lang))? else {
            break None;
        };
        let target = match field.name() {
            Some("file") => break Some(field),
            Some("doc_type") => &mut fields.doc_type,
            Some("title") => &mut fields.title,
            Some("supplier") => &mut fields.supplier,
            Some("tariff_codes") => &mut fields.tariff_codes,
            Some("valid_from") => &mut fields.valid_from,
            Some("valid_until") => &mut fields.valid_until,
            Some("supersedes") => &mut fields.supersedes,
            _ => continue,
        };
        *target = small_text(&mut field)
            .await
            .map_err(HttpError::form(lang))?;
    };
    let checked = service::check_form(&state.pool, owner, &fields, lang)
        .await
        .map_err(HttpError::page(lang))?;
    let file = file.filter(|f| f.file_name().is_some_and(|n| !n.is_empty()));
    let (entry, file) = match (checked, file) {
        (Ok(entry), Some(file)) => (entry, file),
        (checked, file) => {
            let mut wrong: Vec<&str> = checked
                .err()
                .unwrap_or_default()
                .into_iter()
                .map(|(f, _)| f)
                .collect();
            if file.is_none() {
                wrong.push("file");
            }
            return Ok(form_errors(&wrong));
        }
    };
    let raw_name = file.file_name().unwrap_or_default().to_string();
    let added = service::add(
        &state.pool,
        &state.settings.documents,
        session,
        &caller.caller.client_addr,
        owner,
        &entry,
        &raw_name,
        file,
        lang,
    )
    .await
    .map_err(HttpError::page(lang))?;
    Ok(match added {
        Added::Added(_) => Redirect::to("/library?added=1").into_response(),
        Added::Superseded(_) => form_errors(&["supersedes"]),
        Added::Refused {
            refusal: Refusal::TooLarge,
            file_name,
            message,
        } => {
            let result = FileResult {
                answer: FileAnswer {
                    file_name,
                    document_id: None,
                    refusal: Some(Refusal::TooLarge),
                    message,
                },
                detail: String::new(),
            };
            too_large_page(
                lang,
                &[result],
                "/library#add",
                t(lang, Msg::FilingBackToLibrary),
            )
        }
        Added::Refused {
            refusal, file_name, ..
        } => {
            let query = serde_urlencoded::to_string([(
                "r",
                format!("{}|{}|", refusal.code(), short(&file_name)),
            )])
            .unwrap_or_default();
            Redirect::to(&format!("/library?{query}#add")).into_response()
        }
    })
}

fn form_errors(fields: &[&str]) -> Response {
    let query =
        serde_urlencoded::to_string(fields.iter().map(|f| ("error", *f)).collect::<Vec<_>>())
            .unwrap_or_default();
    Redirect::to(&format!("/library?{query}#add")).into_response()
}

/// `GET /library/documents/{id}`.
pub async fn download(
    State(state): State<AppState>,
    caller: DocumentsCaller,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    let lang = caller.caller.lang;
    let (blob_id, file_name, stored) = service::download(&state.pool, &caller.caller.actor, &id)
        .await
        .map_err(HttpError::page(lang))?;
    Ok(file_response(
        state.pool.clone(),
        blob_id,
        &file_name,
        &stored.content_type,
        stored.byte_size,
    ))
}
