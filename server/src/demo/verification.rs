//! A demo organisation waiting in customs' verification queue: an importer registered through
//! the portal (unverified) whose administrator sent its tax registration record, so the valuation
//! administrator's queue is not empty and its administrator sees the pending state. Seeded once:
//! nothing happens when its administrator exists already.

use app::features::accounts::repo::{self as accounts, NewOrganisation};
use app::features::accounts::service::{self as admin, AdminError};
use app::features::verification::repo::{self as verification, NewEvidence};
use app::policy::{OrgKind, Role};
use sqlx::PgPool;
use uuid::Uuid;

use super::DEMO_PASSWORD;

/// The administrator of the organisation waiting for verification.
pub const PENDING_ADMIN: (&str, &str) = ("nora.andes@andes.demo", "Nora Quispe");

pub async fn seed(pool: &PgPool) -> Result<(), AdminError> {
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE email = $1)")
        .bind(PENDING_ADMIN.0)
        .fetch_one(pool)
        .await?;
    if exists {
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    let org = accounts::insert_organisation(
        &mut tx,
        NewOrganisation {
            kind: OrgKind::Importer.code(),
            name: "Andes Trading S.A.C. (demo)",
            tax_id_scheme: "RUC",
            tax_id: "20100071054",
            verified: false,
            demo: true,
        },
    )
    .await?
    .ok_or(AdminError::TaxId("20100071054".into()))?;
    tx.commit().await?;
    let (email, name) = PENDING_ADMIN;
    let admin_id = admin::create_user(
        pool,
        (org, OrgKind::Importer),
        email,
        name,
        Role::OrgAdmin,
        DEMO_PASSWORD,
    )
    .await?;
    let received = super::documents::store_pdf(
        pool,
        org,
        "Ficha RUC 20100071054 - Andes Trading S.A.C.",
        "ficha-ruc-20100071054.pdf",
    )
    .await?;
    let mut tx = pool.begin().await?;
    verification::add_evidence(
        &mut tx,
        &NewEvidence {
            id: Uuid::new_v4(),
            org,
            blob_id: received.blob_id,
            file_name: "ficha-ruc-20100071054.pdf",
            uploaded_by: admin_id,
        },
    )
    .await?;
    app::server::blobs::complete(&mut tx, &received).await?;
    tx.commit().await?;
    Ok(())
}
