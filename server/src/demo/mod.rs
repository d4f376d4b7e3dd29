//! Demo mode: an importer, a broker holding its mandate, a compliance user and customs staff,
//! created once and printed at start-up so a newcomer can sign in straight away, with a few
//! saved assessments, their documents and a company library ([`documents`]), a handful of
//! customs cases in every state ([`cases`]), and an importer waiting for verification
//! ([`verification`]).

pub mod bands;
pub mod cases;
pub mod documents;
pub mod verification;

use app::features::accounts::service::{self as admin, AdminError};
use app::policy::{OrgKind, Role};
use sqlx::PgPool;

/// The demo password (demo mode only; these accounts never exist otherwise).
pub const DEMO_PASSWORD: &str = "valora demo cusco 2026";

pub const DEMO_ACCOUNTS: [(&str, &str, Role, OrgKind); 8] = [
    (
        "ana.admin@importadora.demo",
        "Ana Torres",
        Role::OrgAdmin,
        OrgKind::Importer,
    ),
    (
        "carlos.cumplimiento@importadora.demo",
        "Carlos Rojas",
        Role::Compliance,
        OrgKind::Importer,
    ),
    (
        "beto.agente@agencia.demo",
        "Alberto Huamán",
        Role::Trader,
        OrgKind::Broker,
    ),
    (
        "bruno.admin@agencia.demo",
        "Bruno Castillo",
        Role::OrgAdmin,
        OrgKind::Broker,
    ),
    (
        "olga.oficial@sunat.demo",
        "Olga Mendoza",
        Role::CustomsOfficer,
        OrgKind::Customs,
    ),
    (
        "victor.valoracion@sunat.demo",
        "Víctor Salas",
        Role::ValuationAdmin,
        OrgKind::Customs,
    ),
    (
        "sofia.supervisora@sunat.demo",
        "Sofía Paredes",
        Role::CustomsSupervisor,
        OrgKind::Customs,
    ),
    (
        "andres.auditor@sunat.demo",
        "Andrés Quispe",
        Role::CustomsAuditor,
        OrgKind::Customs,
    ),
];

/// Refuses to seed demo accounts (with their published password) into a database that holds
/// organisations made outside demo mode: that would be a real deployment's.
pub async fn refuse_real_data(pool: &PgPool) -> Result<(), crate::StartError> {
    let real = app::features::accounts::repo::non_demo_tax_ids(pool, 5)
        .await
        .map_err(|e| crate::StartError::Demo(e.to_string()))?;
    if real.is_empty() {
        return Ok(());
    }
    Err(crate::StartError::Demo(format!(
        "demo mode refuses this database: it holds organisations that are not demo data (tax ids \
         {}). Use an empty database, or a fresh data directory (remove .valora/ to start the \
         demo afresh), or start without VALORA_DEMO",
        real.join(", ")
    )))
}

pub async fn seed(pool: &PgPool, config: &crate::config::Config) -> Result<(), AdminError> {
    let demo_organisation =
        |kind, name, ruc| admin::ensure_organisation_in(pool, (kind, name, ruc), true);
    let importer = demo_organisation(
        OrgKind::Importer,
        "Importadora Andina S.A.C. (demo)",
        "20100070970",
    )
    .await?;
    let broker = demo_organisation(
        OrgKind::Broker,
        "Agencia de Aduanas Pacífico S.A. (demo)",
        "20100047218",
    )
    .await?;
    let customs = demo_organisation(
        OrgKind::Customs,
        &config.customs_name,
        &config.customs_tax_id,
    )
    .await?;
    let mut importer_admin = None;
    for (email, name, role, kind) in DEMO_ACCOUNTS {
        let org = match kind {
            OrgKind::Importer => importer,
            OrgKind::Broker => broker,
            OrgKind::Customs => customs,
        };
        let id = match admin::create_user(pool, (org, kind), email, name, role, DEMO_PASSWORD).await
        {
            Ok(id) => Some(id),
            Err(AdminError::EmailTaken(_)) => None,
            Err(e) => return Err(e),
        };
        if role == Role::OrgAdmin && kind == OrgKind::Importer {
            importer_admin = id;
        }
    }
    if let Some(granted_by) = importer_admin {
        app::features::mandates::repo::grant_if_absent(pool, importer, broker, granted_by).await?;
    }
    documents::seed(pool, importer, chrono::Utc::now().date_naive()).await?;
    cases::seed(pool, importer, broker).await?;
    verification::seed(pool).await?;
    Ok(())
}

pub fn print_accounts() {
    println!("Demo accounts (password for all: \"{DEMO_PASSWORD}\"):");
    for (email, name, role, _) in DEMO_ACCOUNTS {
        println!("  {email:<40} {name} ({})", role.code());
    }
    let (email, name) = verification::PENDING_ADMIN;
    println!("  {email:<40} {name} (org_admin of an importer waiting for verification)");
}
