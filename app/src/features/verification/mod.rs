//! Who an organisation really is. A public registration starts **unverified**: it can check and
//! save, but a broker cannot receive mandates and an importer cannot submit documents or open
//! cases (`policy::Actor::verified`). Its administrator uploads evidence (the tax registration
//! record, the *ficha RUC*) through the documents pipeline, which puts it in customs' queue
//! (**pending**); a valuation administrator looks at the evidence at `/customs/organisations`
//! and **verifies** it or **rejects** it with a reason (new evidence puts it back in the queue).
//! Each step is audited in its own transaction and mailed to the organisation's administrators.
//! Only one organisation may hold a tax id verified; a registration under a verified tax id is
//! refused (see `accounts::service::register`).

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

pub mod pages;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::documents::UploadLimits;
use crate::error::AppError;
use crate::policy::OrgKind;

/// Where an organisation stands with customs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum VerificationState {
    /// Registered; no evidence yet.
    Unverified,
    /// Evidence given; waiting in customs' queue.
    Pending,
    Verified,
    /// Customs found the evidence wanting, with a reason; new evidence puts it back in the queue.
    Rejected,
}

impl VerificationState {
    pub fn parse(code: &str) -> Option<VerificationState> {
        Some(match code {
            "unverified" => VerificationState::Unverified,
            "pending" => VerificationState::Pending,
            "verified" => VerificationState::Verified,
            "rejected" => VerificationState::Rejected,
            _ => return None,
        })
    }
}

/// One file of evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceView {
    pub id: Uuid,
    pub file_name: String,
    /// `YYYY-MM-DD HH:MM`, UTC.
    pub uploaded_at: String,
}

/// The caller's own organisation's verification, for its account page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnVerification {
    pub state: VerificationState,
    pub reason: Option<String>,
    pub evidence: Vec<EvidenceView>,
    /// The caller may give evidence (an administrator of the organisation).
    pub can_provide: bool,
    pub limits: UploadLimits,
}

/// An organisation in customs' queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueEntry {
    pub id: Uuid,
    pub kind: OrgKind,
    pub name: String,
    pub tax_id: String,
    pub state: VerificationState,
    pub reason: Option<String>,
    /// `YYYY-MM-DD`, UTC.
    pub registered_on: String,
    /// Its administrators' addresses.
    pub administrators: Vec<String>,
    pub evidence: Vec<EvidenceView>,
}

/// Customs' queue: evidence to look at first, then registrations still without evidence and
/// those rejected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    pub pending: Vec<QueueEntry>,
    pub waiting: Vec<QueueEntry>,
}

/// The caller's organisation's verification; `None` for customs staff (customs needs none).
#[server(prefix = "/api", endpoint = "my-verification")]
pub async fn my_verification() -> Result<Option<OwnVerification>, AppError> {
    use crate::server::caller::caller;
    use crate::server::context::{pool, settings};
    let caller = caller()?;
    service::own(&pool()?, &settings()?.documents, &caller.actor).await
}

#[server(prefix = "/api", endpoint = "verification-queue")]
pub async fn verification_queue() -> Result<Queue, AppError> {
    use crate::policy::Action;
    use crate::server::caller::signed_in;
    use crate::server::context::pool;
    signed_in(Action::VerifyOrganisations)?;
    service::queue(&pool()?).await
}

/// Verifies an organisation waiting in the queue.
#[server(prefix = "/api", endpoint = "verify-organisation")]
pub async fn verify_organisation(id: String) -> Result<(), AppError> {
    decide(id, None).await
}

/// Rejects an organisation waiting in the queue, with the reason its administrators are told.
#[server(prefix = "/api", endpoint = "reject-organisation")]
pub async fn reject_organisation(
    id: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    decide(id, Some(reason)).await
}

#[cfg(feature = "ssr")]
async fn decide(id: String, reject_because: Option<String>) -> Result<(), AppError> {
    use crate::policy::Action;
    use crate::server::caller::{request_facts, signed_in};
    use crate::server::context::{pool, settings};
    let session = signed_in(Action::VerifyOrganisations)?;
    let id = Uuid::parse_str(id.trim()).map_err(|_| AppError::not_found())?;
    let decision = match reject_because {
        None => service::Decision::Verify,
        Some(reason) => service::Decision::Reject(reason),
    };
    let facts = request_facts();
    service::decide(
        &pool()?,
        &settings()?,
        (&session, &facts.client_addr),
        id,
        decision,
        crate::request::lang(),
    )
    .await?;
    leptos_axum::redirect("/customs/organisations?decided=1");
    Ok(())
}
