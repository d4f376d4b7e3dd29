//! `POST /admin/reference/import`: the reference-data upload (multipart form: `kind`,
//! `skip_bad_lines`, `file`). Runs the same importers as the command line, stores what happened
//! as an import report and redirects (303) to the page that shows it, so the form works without
//! JavaScript. Only valuation administrators may use it; the same-origin rule guards it like
//! every other POST.

use axum::Extension;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use http::StatusCode;

use app::domain::csv_rows::LineError;
use app::features::records::import::import_records;
use app::features::records::repo::load_reference;
use app::features::reference::reports::{NewReport, insert};
use app::features::reference::{ImportOutcome, ReferenceKind, import::import_file};
use app::policy::{Action, Decision, decide};
use app::server::audit::AuditEvent;
use app::server::caller::RequestFacts;

use super::state::AppState;

pub async fn import_upload(
    State(state): State<AppState>,
    Extension(facts): Extension<RequestFacts>,
    mut form: Multipart,
) -> Response {
    let Some(session) = facts.session.as_ref() else {
        return Redirect::to("/sign-in").into_response();
    };
    if decide(Some(&session.actor), Action::ManageReferenceData) != Decision::Allow {
        return (StatusCode::FORBIDDEN, "Forbidden / No autorizado").into_response();
    }
    let (mut kind, mut skip, mut file_name, mut bytes) = (None, false, String::new(), None);
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                return (
                    e.status(),
                    format!("{} / La carga no se pudo leer.", e.body_text()),
                )
                    .into_response();
            }
        };
        match field.name() {
            Some("kind") => kind = field.text().await.ok(),
            Some("skip_bad_lines") => skip = field.text().await.is_ok_and(|v| v == "true"),
            Some("file") => {
                file_name = field
                    .file_name()
                    .unwrap_or("upload.csv")
                    .chars()
                    .take(200)
                    .collect();
                match field.bytes().await {
                    Ok(b) => bytes = Some(b),
                    Err(e) => {
                        return (
                            e.status(),
                            format!("{} / El archivo no se pudo leer.", e.body_text()),
                        )
                            .into_response();
                    }
                }
            }
            _ => {}
        }
    }
    let (Some(kind), Some(bytes)) = (kind, bytes) else {
        return (
            StatusCode::BAD_REQUEST,
            "Choose a kind and a file / Elija el tipo y el archivo",
        )
            .into_response();
    };
    let base = &state.settings.bands.base_currency;
    let result: Result<(bool, i64, u64, Vec<LineError>), String> = if kind == "records" {
        match load_reference(&state.pool, base, state.settings.bands.rate_max_age_days).await {
            Ok(reference) => import_records(
                &state.pool,
                std::io::Cursor::new(bytes.clone()),
                &file_name,
                Some(session.actor.user_id),
                skip,
                reference,
            )
            .await
            .map(|r| {
                (
                    r.batch_id.is_some(),
                    r.imported as i64,
                    r.error_count,
                    r.errors,
                )
            })
            .map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        }
    } else {
        let Some(reference_kind) = ReferenceKind::parse(&kind) else {
            return (StatusCode::BAD_REQUEST, "Unknown kind / Tipo desconocido").into_response();
        };
        match import_file(&state.pool, reference_kind, &bytes, skip, base).await {
            Ok(ImportOutcome::Imported { rows, skipped }) => {
                Ok((true, rows as i64, skipped.len() as u64, skipped))
            }
            Ok(ImportOutcome::Refused { errors }) => Ok((false, 0, errors.len() as u64, errors)),
            Err(e) => Err(e.to_string()),
        }
    };
    let (imported, rows_loaded, error_count, mut errors) = match result {
        Ok(outcome) => outcome,
        Err(detail) => {
            let error = app::error::AppError::internal(detail);
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                error.user_message(app::i18n::Lang::Es),
            )
                .into_response();
        }
    };
    errors.truncate(app::features::records::import::MAX_REPORTED_ERRORS);
    let report = NewReport {
        kind: &kind,
        file_name: &file_name,
        imported_by: session.actor.user_id,
        imported,
        rows_loaded,
        error_count: error_count as i64,
        errors: &errors,
    };
    let id = match insert(&state.pool, report).await {
        Ok(id) => id,
        Err(e) => {
            let error = app::error::AppError::internal(e);
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                error.user_message(app::i18n::Lang::Es),
            )
                .into_response();
        }
    };
    let audit = AuditEvent::new("reference.import", &facts.client_addr)
        .actor(Some(session.actor.user_id))
        .subject(format!("{kind} {file_name}"))
        .detail(serde_json::json!({
            "imported": imported, "rows": rows_loaded, "errors": error_count
        }));
    if let Err(e) = app::server::audit::record(&state.pool, audit).await {
        tracing::error!(error = %e, "audit of an import failed");
    }
    Redirect::to(&format!("/admin/reference?report={id}#import-result")).into_response()
}
