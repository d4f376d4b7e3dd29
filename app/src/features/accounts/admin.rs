//! Account creation outside the web forms: demo data and the server's command line (customs
//! staff are created there or by an administrator, never by sign-up).

use sqlx::PgPool;
use uuid::Uuid;

use super::repo::{self, NewOrganisation, NewUser};
use crate::domain::tax_id::{TaxId, TaxIdScheme};
use crate::policy::{OrgKind, Role};
use crate::server::password;

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("the tax identifier {0:?} is not a valid RUC")]
    TaxId(String),
    #[error("the password does not meet the policy: {0:?}")]
    Password(password::PasswordProblem),
    #[error("{0:?} is not a valid email address")]
    Email(String),
    #[error("an account with the email {0} exists already")]
    EmailTaken(String),
    #[error("a {0:?} role cannot belong to a {1:?} organisation")]
    RoleMismatch(Role, OrgKind),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("hashing: {0}")]
    Hash(String),
}

/// Finds the organisation with this RUC, or creates it.
pub async fn ensure_organisation(
    pool: &PgPool,
    kind: OrgKind,
    name: &str,
    ruc: &str,
) -> Result<Uuid, AdminError> {
    let tax_id =
        TaxId::parse(TaxIdScheme::Ruc, ruc).map_err(|_| AdminError::TaxId(ruc.to_string()))?;
    let mut tx = pool.begin().await?;
    let org = NewOrganisation {
        kind: kind.code(),
        name,
        tax_id_scheme: "RUC",
        tax_id: tax_id.as_str(),
    };
    let id = match repo::insert_organisation(&mut tx, org).await? {
        Some(id) => id,
        None => {
            sqlx::query_scalar(
                "SELECT id FROM organisations WHERE tax_id_scheme = 'RUC' AND tax_id = $1",
            )
            .bind(tax_id.as_str())
            .fetch_one(&mut *tx)
            .await?
        }
    };
    tx.commit().await?;
    Ok(id)
}

/// Creates a verified account in `org` after checking the password policy.
pub async fn create_user(
    pool: &PgPool,
    org: (Uuid, OrgKind),
    email: &str,
    full_name: &str,
    role: Role,
    password: &str,
) -> Result<Uuid, AdminError> {
    let (organisation_id, kind) = org;
    if role.is_customs() != (kind == OrgKind::Customs) {
        return Err(AdminError::RoleMismatch(role, kind));
    }
    let email =
        super::service::parse_email(email).ok_or_else(|| AdminError::Email(email.to_string()))?;
    password::check_policy(password, &[&email, full_name]).map_err(AdminError::Password)?;
    let hash = password::hash(password.to_string())
        .await
        .map_err(AdminError::Hash)?;
    let user = NewUser {
        organisation_id,
        email: &email,
        full_name,
        role: role.code(),
        password_hash: &hash,
        lang: "es",
        verified: true,
    };
    repo::insert_user(pool, user)
        .await?
        .ok_or(AdminError::EmailTaken(email.clone()))
}

/// Grants a mandate (demo data), unless one is in force.
pub async fn ensure_mandate(
    pool: &PgPool,
    importer: Uuid,
    broker: Uuid,
    granted_by: Uuid,
) -> Result<(), AdminError> {
    sqlx::query(
        "INSERT INTO mandates (importer_id, broker_id, granted_by) VALUES ($1, $2, $3)
         ON CONFLICT (importer_id, broker_id) WHERE revoked_at IS NULL DO NOTHING",
    )
    .bind(importer)
    .bind(broker)
    .bind(granted_by)
    .execute(pool)
    .await?;
    Ok(())
}
