//! The library's workflows: the filtered list (for the importer's people, and a broker's while
//! acting for it), and adding a document or a new version (compliance users and admins): the
//! form checked, the file streamed through the upload pipeline, then the entry, the blob marked
//! complete and the audit record in one transaction.

use chrono::NaiveDate;
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use super::{LibraryFilter, LibraryList, LibraryRow, repo};
use crate::domain::documents::{DocType, Refusal, Validity, clean_file_name};
use crate::error::AppError;
use crate::i18n::{Lang, Msg, fmt, t};
use crate::policy::{Action, Actor, Decision, decide};
use crate::server::audit::{self, AuditEvent};
use crate::server::blobs;
use crate::server::sessions::Session;
use crate::server::settings::DocumentSettings;
use crate::server::uploads::{self, ReceiveError};

/// The longest title and supplier name, in characters.
pub const TITLE_MAX: usize = 200;
pub const SUPPLIER_MAX: usize = 200;

fn allowed(actor: &Actor, action: Action) -> bool {
    decide(Some(actor), action) == Decision::Allow
}

/// The library `actor` reads (the importer acted for, or the caller's own organisation), once
/// allowed.
pub fn readable_owner(actor: &Actor) -> Option<Uuid> {
    let owner = actor.principal();
    allowed(actor, Action::ReadLibrary { owner }).then_some(owner)
}

/// The library `session` may add to, or why not (not signed in: sign in; else forbidden).
pub fn manager(session: Option<&Session>) -> Result<(&Session, Uuid), AppError> {
    let Some(session) = session else {
        return Err(AppError::Unauthenticated);
    };
    let owner = session.actor.principal();
    if allowed(&session.actor, Action::ManageLibrary { owner }) {
        Ok((session, owner))
    } else {
        Err(AppError::Forbidden)
    }
}

/// The library's list with the filters applied, and what ends soon or ended (of the current
/// versions, filters aside).
pub async fn list(
    pool: &PgPool,
    settings: &DocumentSettings,
    session: &Session,
    owner: Uuid,
    filter: &LibraryFilter,
    today: NaiveDate,
) -> Result<LibraryList, AppError> {
    let query = repo::ListQuery {
        doc_type: DocType::parse(filter.doc_type.trim()),
        supplier: filter.supplier.trim().to_string(),
        code: filter.code.chars().filter(char::is_ascii_digit).collect(),
    };
    let validity = Validity::parse(filter.validity.trim());
    let rows: Vec<LibraryRow> = repo::list(pool, owner, &query, today)
        .await?
        .into_iter()
        .filter(|r| validity.is_none_or(|v| r.validity == v))
        .collect();
    let current: Vec<LibraryRow> = repo::list(pool, owner, &repo::ListQuery::default(), today)
        .await?
        .into_iter()
        .filter(|r| r.superseded_by.is_none())
        .collect();
    let of = |v: Validity| -> Vec<LibraryRow> {
        current
            .iter()
            .filter(|r| r.validity == v)
            .cloned()
            .collect()
    };
    Ok(LibraryList {
        owner_name: session
            .acting_for_name
            .clone()
            .unwrap_or_else(|| session.organisation_name.clone()),
        rows,
        expiring: of(Validity::ExpiringSoon),
        expired: of(Validity::Expired),
        can_manage: allowed(&session.actor, Action::ManageLibrary { owner }),
        limits: settings.limits(),
    })
}

/// The add form's text fields, as sent.
#[derive(Clone, Debug, Default)]
pub struct LibraryForm {
    pub doc_type: String,
    pub title: String,
    pub supplier: String,
    pub tariff_codes: String,
    pub valid_from: String,
    pub valid_until: String,
    pub supersedes: String,
}

/// The add form once checked.
#[derive(Clone, Debug)]
pub struct ValidEntry {
    pub doc_type: DocType,
    pub title: String,
    pub supplier: String,
    /// Digits only, without repeats, in the order given.
    pub tariff_codes: Vec<String>,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub supersedes: Option<Uuid>,
}

/// Tariff codes separated by commas or spaces, each 4 to 10 digits once its dots are removed;
/// `None` when one is not.
pub fn parse_tariff_codes(text: &str) -> Option<Vec<String>> {
    let mut codes: Vec<String> = Vec::new();
    for part in text.split(|c: char| c == ',' || c == ';' || c.is_whitespace()) {
        if part.is_empty() {
            continue;
        }
        let code: String = part.chars().filter(|c| *c != '.').collect();
        if !(4..=10).contains(&code.len()) || !code.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    Some(codes)
}

/// Checks the add form: a known type, a title of 1-200 characters, a supplier of at most 200,
/// tariff codes of 4-10 digits, a start of validity and an end not before it, and, if given, a
/// current document of the owner's library to replace.
pub async fn check_form(
    pool: &PgPool,
    owner: Uuid,
    form: &LibraryForm,
    lang: Lang,
) -> Result<Result<ValidEntry, Vec<(&'static str, String)>>, AppError> {
    let mut problems: Vec<(&'static str, String)> = Vec::new();
    let doc_type = DocType::parse(form.doc_type.trim());
    if doc_type.is_none() {
        problems.push(("doc_type", t(lang, Msg::FilingDocTypeMissing).to_string()));
    }
    let title = form.title.trim().to_string();
    if title.is_empty() {
        problems.push(("title", t(lang, Msg::FilingTitleMissing).to_string()));
    } else if title.chars().count() > TITLE_MAX {
        problems.push(("title", fmt::filing_title_too_long(lang, TITLE_MAX)));
    }
    let supplier = form.supplier.trim().to_string();
    if supplier.chars().count() > SUPPLIER_MAX {
        problems.push((
            "supplier",
            fmt::filing_supplier_too_long(lang, SUPPLIER_MAX),
        ));
    }
    let tariff_codes = parse_tariff_codes(&form.tariff_codes);
    if tariff_codes.is_none() {
        problems.push((
            "tariff_codes",
            t(lang, Msg::FilingTariffCodesInvalid).to_string(),
        ));
    }
    let valid_from = match form.valid_from.trim() {
        "" => {
            problems.push((
                "valid_from",
                t(lang, Msg::FilingValidFromMissing).to_string(),
            ));
            None
        }
        text => {
            let date = text.parse::<NaiveDate>().ok();
            if date.is_none() {
                problems.push(("valid_from", t(lang, Msg::ErrorDateFormat).to_string()));
            }
            date
        }
    };
    let valid_until = match form.valid_until.trim() {
        "" => None,
        text => match text.parse::<NaiveDate>() {
            Ok(until) if valid_from.is_some_and(|from| until < from) => {
                problems.push((
                    "valid_until",
                    t(lang, Msg::FilingValidUntilBefore).to_string(),
                ));
                None
            }
            Ok(until) => Some(until),
            Err(_) => {
                problems.push(("valid_until", t(lang, Msg::ErrorDateFormat).to_string()));
                None
            }
        },
    };
    let supersedes = match form.supersedes.trim() {
        "" => None,
        text => {
            let current = match Uuid::parse_str(text) {
                Ok(id) => repo::find(pool, id)
                    .await?
                    .filter(|e| e.owner_id == owner && !e.superseded)
                    .map(|e| e.id),
                Err(_) => None,
            };
            if current.is_none() {
                problems.push((
                    "supersedes",
                    t(lang, Msg::FilingLibrarySupersedesInvalid).to_string(),
                ));
            }
            current
        }
    };
    Ok(match (doc_type, tariff_codes, valid_from) {
        (Some(doc_type), Some(tariff_codes), Some(valid_from)) if problems.is_empty() => {
            Ok(ValidEntry {
                doc_type,
                title,
                supplier,
                tariff_codes,
                valid_from,
                valid_until,
                supersedes,
            })
        }
        _ => Err(problems),
    })
}

/// What became of the file of an add form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Added {
    Added(Uuid),
    /// Refused, with the cleaned file name and the message in the caller's language.
    Refused {
        refusal: Refusal,
        file_name: String,
        message: String,
    },
    /// The version to replace was replaced by someone else meanwhile (a field error).
    Superseded(String),
}

/// Streams the file into the library of `owner` as a new entry (or a new version of one).
#[allow(clippy::too_many_arguments)]
pub async fn add<S, E>(
    pool: &PgPool,
    settings: &DocumentSettings,
    session: &Session,
    client_addr: &str,
    owner: Uuid,
    entry: &ValidEntry,
    raw_file_name: &str,
    body: S,
    lang: Lang,
) -> Result<Added, AppError>
where
    S: futures_util::Stream<Item = Result<bytes::Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let limits = settings.limits();
    let refused = |refusal: Refusal, file_name: &str| Added::Refused {
        refusal,
        file_name: file_name.to_string(),
        message: crate::labels::refusal_message(lang, refusal, &limits, ""),
    };
    let Some(file_name) = clean_file_name(raw_file_name) else {
        let shown: String = raw_file_name.chars().filter(|c| !c.is_control()).collect();
        return Ok(refused(Refusal::NoName, &shown));
    };
    let received = match uploads::receive(pool, settings, owner, &file_name, body).await {
        Ok(received) => received,
        Err(ReceiveError::Refused(refusal)) => return Ok(refused(refusal, &file_name)),
        Err(ReceiveError::Failed(error)) => return Err(error),
    };
    let id = Uuid::new_v4();
    let stored = async {
        let mut tx = pool.begin().await?;
        let inserted = repo::insert(
            &mut *tx,
            &repo::NewEntry {
                id,
                owner,
                blob_id: received.blob_id,
                doc_type: entry.doc_type,
                title: &entry.title,
                supplier: &entry.supplier,
                tariff_codes: &entry.tariff_codes,
                valid_from: entry.valid_from,
                valid_until: entry.valid_until,
                file_name: &file_name,
                supersedes: entry.supersedes,
                created_by: session.actor.user_id,
            },
        )
        .await;
        // Two new versions of one entry at once: the database keeps the first (the second
        // names a version that is no longer current).
        if let Err(sqlx::Error::Database(e)) = &inserted
            && e.is_unique_violation()
        {
            return Ok::<_, sqlx::Error>(false);
        }
        inserted?;
        blobs::complete(&mut tx, &received).await?;
        audit::record(
            &mut *tx,
            AuditEvent::new("library.add", client_addr)
                .actor(Some(session.actor.user_id))
                .acting_for(session.actor.acting_for)
                .subject(id.to_string())
                .detail(json!({
                    "library_id": id,
                    "title": entry.title,
                    "sha256": received.sha256,
                    "file_name": file_name,
                    "supersedes": entry.supersedes,
                })),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
    .await;
    match stored {
        Ok(true) => Ok(Added::Added(id)),
        Ok(false) => {
            discard(pool, received.blob_id).await;
            Ok(Added::Superseded(
                t(lang, Msg::FilingLibrarySupersedesInvalid).to_string(),
            ))
        }
        Err(error) => {
            discard(pool, received.blob_id).await;
            Err(AppError::from(error))
        }
    }
}

async fn discard(pool: &PgPool, blob_id: Uuid) {
    if let Err(error) = blobs::delete(pool, blob_id).await {
        tracing::warn!(%blob_id, %error, "could not delete an unattached upload");
    }
}

/// A library document to download, for whoever may read that library.
pub async fn download(
    pool: &PgPool,
    actor: &Actor,
    id: &str,
) -> Result<(Uuid, String, blobs::StoredFile), AppError> {
    let entry = match Uuid::parse_str(id.trim()) {
        Ok(id) => repo::find(pool, id).await?,
        Err(_) => None,
    }
    .filter(|e| allowed(actor, Action::ReadLibrary { owner: e.owner_id }))
    .ok_or_else(AppError::not_found)?;
    let stored = blobs::stored(pool, entry.blob_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok((entry.blob_id, entry.file_name, stored))
}

#[cfg(test)]
mod tests {
    use super::parse_tariff_codes;

    #[test]
    fn tariff_codes_lose_their_dots_and_repeats_and_must_have_four_to_ten_digits() {
        assert_eq!(
            parse_tariff_codes("0703.20, 8471 0703.20;0703.20.00.00"),
            Some(vec!["070320".into(), "8471".into(), "0703200000".into()])
        );
        assert_eq!(parse_tariff_codes("  "), Some(vec![]));
        assert_eq!(parse_tariff_codes("070"), None);
        assert_eq!(parse_tariff_codes("07032000001"), None);
        assert_eq!(parse_tariff_codes("0703a"), None);
    }
}
