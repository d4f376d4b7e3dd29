//! The company evidence library: an importer's compliance users keep documents that serve many
//! shipments (framework contracts, price lists, transfer-pricing studies, licences, a broker's
//! letter of authority) with their supplier, the tariff codes they cover and a validity period;
//! traders attach them to assessments without uploading them again.

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

pub mod pages;

use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::documents::{DocType, FileFormat, UploadLimits, Validity};
use crate::error::AppError;

/// One library document (one version).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryRow {
    pub id: Uuid,
    pub doc_type: DocType,
    pub title: String,
    pub supplier: String,
    /// Tariff codes (digits only) the document covers; empty: any.
    pub tariff_codes: Vec<String>,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    /// On the day the list was made.
    pub validity: Validity,
    pub file_name: String,
    pub byte_size: u64,
    pub format: FileFormat,
    pub sha256: String,
    /// Passed the virus scanner (false: stored while no scanner was configured).
    pub scanned: bool,
    pub created_at: String,
    pub created_by: String,
    /// The version this one replaces, and the one that replaced it.
    pub supersedes: Option<Uuid>,
    pub superseded_by: Option<Uuid>,
}

/// The list's filters, as the address gives them (all optional, all text).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LibraryFilter {
    /// A [`DocType`] code.
    pub doc_type: String,
    /// Supplier name, in part.
    pub supplier: String,
    /// Tariff code: documents covering it (a listed code that is a prefix of it, or no codes).
    pub code: String,
    /// A [`Validity`] code.
    pub validity: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryList {
    /// Whose library this is (the importer acted for, or the caller's organisation).
    pub owner_name: String,
    /// Matching documents, newest first.
    pub rows: Vec<LibraryRow>,
    /// Of all the library's current versions (filters aside): ending within 30 days, and ended.
    pub expiring: Vec<LibraryRow>,
    pub expired: Vec<LibraryRow>,
    /// The caller may add documents and versions (compliance users and admins).
    pub can_manage: bool,
    pub limits: UploadLimits,
}

/// The library the caller reads (the importer's people, or a broker's while acting for it),
/// filtered; refused for anyone else.
#[server(
    name = LoadLibrary,
    prefix = "/api",
    endpoint = "library",
    input = server_fn::codec::GetUrl
)]
pub async fn library_list(
    #[server(default)] filter: LibraryFilter,
) -> Result<LibraryList, AppError> {
    use crate::policy::Action;
    use crate::server::caller::signed_in;
    use crate::server::context::{pool, settings};
    let session = signed_in(Action::ManageOwnAccount)?;
    let owner = session.actor.principal();
    let session = signed_in(Action::ReadLibrary { owner })?;
    let today = chrono::Utc::now().date_naive();
    service::list(
        &pool()?,
        &settings()?.documents,
        &session,
        owner,
        &filter,
        today,
    )
    .await
}
