//! The verification workflows: an administrator's evidence streamed through the upload pipeline
//! and recorded with its audit record in one transaction; customs' decision, its audit record
//! and the mail to the organisation's administrators in another.

use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use super::{OwnVerification, Queue, QueueEntry, VerificationState, repo};
use crate::domain::documents::{Refusal, clean_file_name};
use crate::error::AppError;
use crate::features::accounts::repo::administrators_of;
use crate::i18n::{Lang, Msg, fmt, t};
use crate::policy::{Action, Actor, Decision as Allowed, OrgKind, decide as policy};
use crate::server::audit::{self, AuditEvent};
use crate::server::blobs;
use crate::server::outbox::{self, OutgoingMail, escape_html};
use crate::server::sessions::Session;
use crate::server::settings::{DocumentSettings, Settings};
use crate::server::uploads::{self, ReceiveError};

/// The longest reason for a rejection, in characters.
pub const REASON_MAX: usize = 2000;
/// The most organisations the queue lists at once.
const QUEUE_LIMIT: i64 = 200;

fn allowed(actor: &Actor, action: Action) -> bool {
    policy(Some(actor), action) == Allowed::Allow
}

fn state_of(row: &repo::OrganisationRow) -> Result<VerificationState, AppError> {
    VerificationState::parse(&row.verification)
        .ok_or_else(|| AppError::internal(format!("verification {:?}", row.verification)))
}

/// The caller's organisation's verification (`None` for customs staff).
pub async fn own(
    pool: &PgPool,
    settings: &DocumentSettings,
    actor: &Actor,
) -> Result<Option<OwnVerification>, AppError> {
    if actor.org_kind == OrgKind::Customs {
        return Ok(None);
    }
    let row = repo::organisation(pool, actor.org_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let can_provide = allowed(
        actor,
        Action::ProvideVerificationEvidence { org: actor.org_id },
    );
    Ok(Some(OwnVerification {
        state: state_of(&row)?,
        reason: row.verification_reason.clone(),
        evidence: if can_provide {
            repo::evidence_of(pool, actor.org_id).await?
        } else {
            Vec::new()
        },
        can_provide,
        limits: settings.limits(),
    }))
}

/// Customs' queue.
pub async fn queue(pool: &PgPool) -> Result<Queue, AppError> {
    let mut queue = Queue {
        pending: Vec::new(),
        waiting: Vec::new(),
    };
    for row in repo::unverified(pool, QUEUE_LIMIT).await? {
        let state = state_of(&row)?;
        let entry = QueueEntry {
            id: row.id,
            kind: OrgKind::parse(&row.kind).unwrap_or(OrgKind::Importer),
            administrators: repo::administrator_emails(pool, row.id).await?,
            evidence: repo::evidence_of(pool, row.id).await?,
            name: row.name,
            tax_id: row.tax_id,
            state,
            reason: row.verification_reason,
            registered_on: row.registered_on,
        };
        if state == VerificationState::Pending {
            queue.pending.push(entry);
        } else {
            queue.waiting.push(entry);
        }
    }
    Ok(queue)
}

/// What became of a file of evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Evidence {
    Added,
    /// Refused, with the cleaned file name.
    Refused {
        refusal: Refusal,
        file_name: String,
    },
}

/// Whether `session` may give evidence for its organisation (before anything is read).
pub fn provider(session: &Session) -> Result<Uuid, AppError> {
    let org = session.actor.org_id;
    if allowed(&session.actor, Action::ProvideVerificationEvidence { org }) {
        Ok(org)
    } else {
        Err(crate::server::caller::forbidden())
    }
}

/// Streams one file of evidence for the caller's organisation and puts it in customs' queue.
pub async fn add_evidence<S, E>(
    pool: &PgPool,
    settings: &DocumentSettings,
    (session, client_addr): (&Session, &str),
    raw_file_name: &str,
    body: S,
) -> Result<Evidence, AppError>
where
    S: futures_util::Stream<Item = Result<bytes::Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let org = provider(session)?;
    let Some(file_name) = clean_file_name(raw_file_name) else {
        let shown: String = raw_file_name.chars().filter(|c| !c.is_control()).collect();
        return Ok(Evidence::Refused {
            refusal: Refusal::NoName,
            file_name: shown,
        });
    };
    let received = match uploads::receive(pool, settings, org, &file_name, body).await {
        Ok(received) => received,
        Err(ReceiveError::Refused(refusal)) => {
            return Ok(Evidence::Refused { refusal, file_name });
        }
        Err(ReceiveError::Failed(error)) => return Err(error),
    };
    let id = Uuid::new_v4();
    let stored = async {
        let mut tx = pool.begin().await?;
        let evidence = repo::NewEvidence {
            id,
            org,
            blob_id: received.blob_id,
            file_name: &file_name,
            uploaded_by: session.actor.user_id,
        };
        repo::add_evidence(&mut tx, &evidence).await?;
        blobs::complete(&mut tx, &received).await?;
        audit::record(
            &mut *tx,
            AuditEvent::new("organisation.evidence", client_addr)
                .actor(Some(session.actor.user_id))
                .acting_for(Some(org))
                .subject(format!("organisation:{org}"))
                .detail(json!({"evidence_id": id, "file_name": file_name,
                               "sha256": received.sha256})),
        )
        .await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(())
    }
    .await;
    if let Err(error) = stored {
        let _ = blobs::delete(pool, received.blob_id).await;
        return Err(AppError::from(error));
    }
    Ok(Evidence::Added)
}

/// Customs' decision on a pending organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Verify,
    /// Reject, with the reason the organisation is told.
    Reject(String),
}

/// Records `decision` on the pending organisation `org`, audits it and mails its
/// administrators, all in one transaction.
pub async fn decide(
    pool: &PgPool,
    settings: &Settings,
    (session, client_addr): (&Session, &str),
    org: Uuid,
    decision: Decision,
    lang: Lang,
) -> Result<(), AppError> {
    if !allowed(&session.actor, Action::VerifyOrganisations) {
        return Err(crate::server::caller::forbidden());
    }
    let reason = match &decision {
        Decision::Verify => None,
        Decision::Reject(reason) => {
            let reason = reason.trim();
            if reason.is_empty() || reason.chars().count() > REASON_MAX {
                return Err(AppError::fields(vec![(
                    format!("reason-{org}"),
                    fmt::error_verification_reason(lang, REASON_MAX),
                )]));
            }
            Some(reason.to_string())
        }
    };
    let mut tx = pool.begin().await?;
    let decided = repo::decide(
        &mut *tx,
        org,
        reason.is_none(),
        reason.as_deref(),
        session.actor.user_id,
    )
    .await;
    let name = match decided {
        Ok(Some(name)) => name,
        Ok(None) => return Err(AppError::invalid(t(lang, Msg::VerificationNotPending))),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(AppError::invalid(t(lang, Msg::VerificationTaxIdHeld)));
        }
        Err(e) => return Err(e.into()),
    };
    for (email, their_lang) in administrators_of(&mut *tx, org).await? {
        let their_lang = Lang::parse(&their_lang).unwrap_or_default();
        let mail = outcome_mail(their_lang, &email, &name, reason.as_deref(), settings);
        outbox::enqueue(&mut *tx, mail).await?;
    }
    let action = if reason.is_none() {
        "organisation.verified"
    } else {
        "organisation.rejected"
    };
    audit::record(
        &mut *tx,
        AuditEvent::new(action, client_addr)
            .actor(Some(session.actor.user_id))
            .subject(format!("organisation:{org}"))
            .detail(json!({"reason": reason})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The mail telling an administrator of `organisation` the outcome (with the reason of a
/// rejection), in their language.
fn outcome_mail(
    lang: Lang,
    email: &str,
    organisation: &str,
    reason: Option<&str>,
    settings: &Settings,
) -> OutgoingMail {
    let link = format!("{}/account#verification", settings.public_base);
    let (subject, intro) = match reason {
        None => (
            t(lang, Msg::MailVerifiedSubject).to_string(),
            fmt::mail_verified_intro(lang, organisation),
        ),
        Some(_) => (
            t(lang, Msg::MailRejectedSubject).to_string(),
            fmt::mail_rejected_intro(lang, organisation),
        ),
    };
    let reason_text = reason.map(|r| format!("\n\n{r}")).unwrap_or_default();
    let reason_html = reason
        .map(|r| format!("<blockquote>{}</blockquote>", escape_html(r)))
        .unwrap_or_default();
    OutgoingMail {
        recipient: email.to_string(),
        body_text: format!("{intro}{reason_text}\n\n{link}\n"),
        body_html: format!(
            "<p>{}</p>{reason_html}<p><a href=\"{link}\">{link}</a></p>",
            escape_html(&intro),
            link = escape_html(&link)
        ),
        subject,
        secret: false,
    }
}

/// The file of an evidence document, for the organisation's administrators and valuation
/// administrators: (blob, file name, stored file). Anyone else: not found.
pub async fn download(
    pool: &PgPool,
    actor: &Actor,
    id: &str,
) -> Result<(Uuid, String, blobs::StoredFile), AppError> {
    let (_, blob_id, file_name) = match Uuid::parse_str(id.trim()) {
        Ok(id) => repo::evidence(pool, id).await?,
        Err(_) => None,
    }
    .filter(|(org, _, _)| {
        allowed(actor, Action::VerifyOrganisations)
            || allowed(actor, Action::ProvideVerificationEvidence { org: *org })
    })
    .ok_or_else(AppError::not_found)?;
    let stored = blobs::stored(pool, blob_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok((blob_id, file_name, stored))
}
