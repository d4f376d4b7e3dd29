//! Broker mandates: an importer's administrator grants and revokes them; a broker's staff choose
//! which mandating importer they act for. Revocation takes effect on the broker's next request
//! (sessions check the mandate each time).

#[cfg(feature = "ssr")]
pub mod repo;

pub mod pages;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MandateView {
    pub id: Uuid,
    pub broker_name: String,
    pub broker_tax_id: String,
    pub granted_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImporterView {
    pub id: Uuid,
    pub name: String,
    pub tax_id: String,
}

#[cfg(feature = "ssr")]
fn audit_event<'a>(
    action: &'a str,
    actor: &crate::policy::Actor,
    acting_for: Option<Uuid>,
    subject: String,
    client_addr: &'a str,
) -> crate::server::audit::AuditEvent<'a> {
    crate::server::audit::AuditEvent::new(action, client_addr)
        .actor(Some(actor.user_id))
        .acting_for(acting_for)
        .subject(subject)
}

#[server(prefix = "/api", endpoint = "mandates")]
pub async fn list_mandates() -> Result<Vec<MandateView>, AppError> {
    use crate::policy::Action;
    use crate::server::caller::signed_in;
    use crate::server::context::pool;
    let session = signed_in(Action::ManageOwnAccount)?;
    let importer = session.actor.org_id;
    signed_in(Action::ManageMandates { importer })?;
    Ok(repo::in_force_for_importer(&pool()?, importer).await?)
}

#[server(prefix = "/api", endpoint = "grant-mandate")]
pub async fn grant_mandate(broker_tax_id: String) -> Result<(), AppError> {
    use crate::domain::tax_id::{TaxId, TaxIdError, TaxIdScheme};
    use crate::i18n::Msg;
    use crate::policy::Action;
    use crate::server::caller::signed_in;
    use crate::server::context::pool;
    use crate::server::validation::field_errors;
    let lang = crate::request::lang();
    let session = signed_in(Action::ManageOwnAccount)?;
    let importer = session.actor.org_id;
    signed_in(Action::ManageMandates { importer })?;
    let tax_id = TaxId::parse(TaxIdScheme::Ruc, &broker_tax_id).map_err(|e| {
        let msg = if e == TaxIdError::CheckDigit {
            Msg::ErrorTaxIdCheck
        } else {
            Msg::ErrorTaxIdFormat
        };
        field_errors(lang, vec![("broker_tax_id", msg)])
    })?;
    let pool = pool()?;
    let Some(broker) = repo::broker_by_tax_id(&pool, tax_id.as_str()).await? else {
        return Err(field_errors(
            lang,
            vec![("broker_tax_id", Msg::ErrorBrokerUnknown)],
        ));
    };
    let facts = crate::server::caller::request_facts();
    let mut tx = pool.begin().await?;
    let Some(mandate) = repo::grant(&mut *tx, importer, broker, session.actor.user_id).await?
    else {
        return Err(field_errors(
            lang,
            vec![("broker_tax_id", Msg::ErrorMandateExists)],
        ));
    };
    let event = audit_event(
        "mandate_granted",
        &session.actor,
        Some(importer),
        format!("mandate:{mandate}"),
        &facts.client_addr,
    );
    crate::server::audit::record(&mut *tx, event).await?;
    tx.commit().await?;
    leptos_axum::redirect("/mandates");
    Ok(())
}

#[server(prefix = "/api", endpoint = "revoke-mandate")]
pub async fn revoke_mandate(id: Uuid) -> Result<(), AppError> {
    use crate::policy::Action;
    use crate::server::caller::signed_in;
    use crate::server::context::pool;
    let session = signed_in(Action::ManageOwnAccount)?;
    let importer = session.actor.org_id;
    signed_in(Action::ManageMandates { importer })?;
    let facts = crate::server::caller::request_facts();
    let pool = pool()?;
    let mut tx = pool.begin().await?;
    if repo::revoke(&mut *tx, importer, id, session.actor.user_id)
        .await?
        .is_some()
    {
        let event = audit_event(
            "mandate_revoked",
            &session.actor,
            Some(importer),
            format!("mandate:{id}"),
            &facts.client_addr,
        );
        crate::server::audit::record(&mut *tx, event).await?;
    }
    tx.commit().await?;
    leptos_axum::redirect("/mandates");
    Ok(())
}

/// Importers whose mandate the caller's broker firm holds.
#[server(prefix = "/api", endpoint = "mandating-importers")]
pub async fn mandating_importers() -> Result<Vec<ImporterView>, AppError> {
    use crate::policy::{Action, OrgKind};
    use crate::server::caller::{forbidden, signed_in};
    use crate::server::context::pool;
    let session = signed_in(Action::ManageOwnAccount)?;
    if session.actor.org_kind != OrgKind::Broker {
        return Err(forbidden());
    }
    Ok(repo::importers_of_broker(&pool()?, session.actor.org_id).await?)
}

/// Makes the caller's session act for `importer`, if the firm holds its mandate.
#[server(prefix = "/api", endpoint = "act-for")]
pub async fn act_for(importer: Uuid) -> Result<(), AppError> {
    use crate::policy::Action;
    use crate::server::caller::signed_in;
    use crate::server::context::pool;
    let session = signed_in(Action::ManageOwnAccount)?;
    let pool = pool()?;
    let mandate_in_force = repo::in_force(&pool, importer, session.actor.org_id).await?;
    signed_in(Action::ActFor {
        importer,
        mandate_in_force,
    })?;
    let facts = crate::server::caller::request_facts();
    let mut tx = pool.begin().await?;
    repo::set_acting_for(&mut *tx, &session.token_hash, importer).await?;
    let event = audit_event(
        "act_for",
        &session.actor,
        Some(importer),
        format!("organisation:{importer}"),
        &facts.client_addr,
    );
    crate::server::audit::record(&mut *tx, event).await?;
    tx.commit().await?;
    leptos_axum::redirect("/account");
    Ok(())
}
