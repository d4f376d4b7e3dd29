//! Supporting documents on a saved assessment: uploaded (see [`service`]) or picked from the
//! company library, listed against the types the assessment calls for, removed while drafts,
//! submitted to customs with a printable receipt, and final from then on (a correction is a new
//! version that supersedes the old one).

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

pub mod pages;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::documents::{Confidentiality, DocType, FileFormat, Refusal, UploadLimits};
use crate::error::AppError;

/// One document on an assessment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRow {
    pub id: Uuid,
    pub doc_type: DocType,
    pub description: String,
    pub confidentiality: Confidentiality,
    pub file_name: String,
    pub byte_size: u64,
    pub format: FileFormat,
    pub sha256: String,
    /// Passed the virus scanner (false: stored while no scanner was configured).
    pub scanned: bool,
    /// Picked from the company library (the same stored file).
    pub from_library: bool,
    pub uploaded_at: String,
    pub uploaded_by: String,
    /// When it was submitted to customs; `None`: a draft.
    pub submitted_at: Option<String>,
    /// The version this one replaces, and the one that replaced it.
    pub supersedes: Option<Uuid>,
    pub superseded_by: Option<Uuid>,
}

/// A document type the assessment calls for, and whether one is attached.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub doc_type: DocType,
    pub present: bool,
}

/// A library document that may be attached today.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryChoice {
    pub id: Uuid,
    pub doc_type: DocType,
    pub title: String,
    pub file_name: String,
    pub valid_until: Option<chrono::NaiveDate>,
}

/// Everything the assessment page shows about documents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentDocuments {
    pub reference: String,
    /// Oldest first; superseded versions stay listed.
    pub documents: Vec<DocumentRow>,
    /// The types the verdict and the trader's reasons call for (plus the broker's letter of
    /// authority when a broker saved the assessment).
    pub suggested: Vec<Suggestion>,
    /// The caller works on the trader's side (may upload, remove drafts and submit); false for
    /// customs staff reading a submitted assessment.
    pub trader_side: bool,
    /// Times of each submission to customs, oldest first.
    pub submissions: Vec<String>,
    /// Drafts not yet submitted.
    pub drafts: usize,
    /// Library documents the caller may attach (empty when the library is not readable).
    pub library: Vec<LibraryChoice>,
    pub limits: UploadLimits,
    /// The caller's own organisation's assessment, but customs has not verified the
    /// organisation yet: nothing may be attached or submitted (everything else is empty).
    pub verification_needed: bool,
}

/// What the upload route answers for each file when asked for JSON (the page's script and the
/// API), in the caller's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileAnswer {
    pub file_name: String,
    /// Set when accepted.
    pub document_id: Option<Uuid>,
    /// Set when refused.
    pub refusal: Option<Refusal>,
    /// The refusal's message (with the limit or the duplicated document named), or the
    /// acceptance, in the caller's language.
    pub message: String,
}

/// The receipt of the latest submission: every submitted document with its fingerprint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub reference: String,
    pub owner_name: String,
    pub submitted_at: String,
    pub submitted_by: String,
    pub documents: Vec<DocumentRow>,
}

#[cfg(feature = "ssr")]
use crate::server::caller::caller;

/// The documents of an assessment as its page shows them: for the trader side, or for customs
/// staff once submitted (only the submitted, non-confidential documents). Not found otherwise.
#[server(
    name = LoadAssessmentDocuments,
    prefix = "/api",
    endpoint = "assessment-documents",
    input = server_fn::codec::GetUrl
)]
pub async fn assessment_documents(
    #[server(default)] reference: String,
) -> Result<AssessmentDocuments, AppError> {
    use crate::server::context::{pool, settings};
    let caller = caller()?;
    let today = chrono::Utc::now().date_naive();
    service::overview(
        &pool()?,
        &settings()?.documents,
        &caller.actor,
        &reference,
        today,
    )
    .await
}

/// Removes a draft document; back to the assessment's documents.
#[server(prefix = "/api", endpoint = "remove-document")]
pub async fn remove_document(
    #[server(default)] reference: String,
    #[server(default)] id: String,
) -> Result<(), AppError> {
    let caller = caller()?;
    let pool = crate::server::context::pool()?;
    let assessment = service::remove(&pool, &caller, &reference, &id).await?;
    leptos_axum::redirect(&format!("/assessments/{}#documents", assessment.reference));
    Ok(())
}

/// Attaches a library document (the same stored file) with a description and confidentiality;
/// field errors on `library_id`, `description` and `confidentiality`.
#[server(prefix = "/api", endpoint = "attach-library-document")]
pub async fn attach_from_library(
    #[server(default)] reference: String,
    #[server(default)] library_id: String,
    #[server(default)] description: String,
    #[server(default)] confidentiality: String,
) -> Result<(), AppError> {
    use crate::server::context::{pool, settings};
    let caller = caller()?;
    let today = chrono::Utc::now().date_naive();
    let assessment = service::attach_from_library(
        &pool()?,
        &settings()?.documents,
        &caller,
        &reference,
        &library_id,
        &description,
        &confidentiality,
        today,
    )
    .await?;
    leptos_axum::redirect(&format!("/assessments/{}#documents", assessment.reference));
    Ok(())
}

/// Submits the drafts to customs once the declaration is confirmed (`confirm` = `yes`, else a
/// field error on `confirm`; no draft: a field error on `documents`); goes on to the receipt and
/// answers the assessment's reference.
#[server(prefix = "/api", endpoint = "submit-documents")]
pub async fn submit_documents(
    #[server(default)] reference: String,
    #[server(default)] confirm: String,
) -> Result<String, AppError> {
    let caller = caller()?;
    let pool = crate::server::context::pool()?;
    let assessment = service::submit(&pool, &caller, &reference, &confirm).await?;
    leptos_axum::redirect(&format!("/assessments/{}/receipt", assessment.reference));
    Ok(assessment.reference)
}

/// The receipt of the latest submission (trader side only; not found before one).
#[server(
    name = GetReceipt,
    prefix = "/api",
    endpoint = "receipt",
    input = server_fn::codec::GetUrl
)]
pub async fn receipt(#[server(default)] reference: String) -> Result<Receipt, AppError> {
    let caller = caller()?;
    let pool = crate::server::context::pool()?;
    service::receipt(&pool, &caller.actor, &reference).await
}
