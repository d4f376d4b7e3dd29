//! The people of an organisation: its administrator sees them, invites more and deactivates
//! those who leave (a valuation administrator does the same for customs staff). An invitation
//! creates the account unverified, with no usable password, and emails a link to choose one. A
//! deactivated person cannot sign in, their sessions end at once and their history stays.

pub mod pages;
#[cfg(feature = "ssr")]
mod repo;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::policy::Role;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub id: uuid::Uuid,
    pub full_name: String,
    pub email: String,
    pub role: Role,
    pub pending: bool,
    pub deactivated: bool,
    /// The caller themself (who cannot deactivate their own account).
    pub you: bool,
}

/// The roles the caller may give, empty when the caller administers nothing.
#[server(prefix = "/api", endpoint = "members")]
pub async fn list_members() -> Result<(Vec<MemberView>, Vec<Role>), AppError> {
    use crate::policy::{Action, roles_for};
    use crate::server::caller::signed_in;
    use crate::server::context::pool;
    let session = signed_in(Action::ManageOwnAccount)?;
    let org = session.actor.org_id;
    signed_in(Action::ManageMembers { org, role: None })?;
    let rows = repo::members_of(&pool()?, org).await?;
    let members = rows
        .into_iter()
        .filter_map(|(id, full_name, email, role, pending, deactivated)| {
            Some(MemberView {
                id,
                full_name,
                email,
                role: Role::parse(&role)?,
                pending,
                deactivated,
                you: id == session.actor.user_id,
            })
        })
        .collect();
    Ok((members, roles_for(session.actor.org_kind).to_vec()))
}

/// Deactivates a member of the caller's organisation (never the caller): their sessions end at
/// once; what they did stays on record under their name. Customs staff with open cases stay
/// active until the cases are moved.
#[server(prefix = "/api", endpoint = "deactivate-member")]
pub async fn deactivate_member(id: String) -> Result<(), AppError> {
    use crate::features::accounts::service::{self as accounts, AdminError};
    use crate::i18n::{Msg, fmt, t};
    use crate::policy::Action;
    use crate::server::caller::{request_facts, signed_in};
    use crate::server::context::pool;
    let lang = crate::request::lang();
    let session = signed_in(Action::ManageOwnAccount)?;
    let org = session.actor.org_id;
    signed_in(Action::ManageMembers { org, role: None })?;
    let id = uuid::Uuid::parse_str(id.trim()).map_err(|_| AppError::not_found())?;
    if id == session.actor.user_id {
        return Err(AppError::invalid(t(lang, Msg::ErrorDeactivateSelf)));
    }
    let addr = request_facts().client_addr;
    match accounts::deactivate_member(&pool()?, (org, id), session.actor.user_id, &addr).await {
        Ok(_) => {}
        Err(AdminError::NoSuchAccount(_)) => return Err(AppError::not_found()),
        Err(AdminError::HasOpenCases { open, .. }) => {
            return Err(AppError::invalid(fmt::error_member_open_cases(lang, open)));
        }
        Err(AdminError::Database(e)) => return Err(e.into()),
        Err(other) => return Err(AppError::internal(other)),
    }
    leptos_axum::redirect("/account?deactivated=1");
    Ok(())
}

#[cfg(feature = "ssr")]
const INVITATION_TTL_SECS: f64 = 3.0 * 24.0 * 3600.0;

#[server(prefix = "/api", endpoint = "invite-member")]
pub async fn invite_member(
    email: String,
    full_name: String,
    #[server(default)] role: String,
) -> Result<(), AppError> {
    use crate::features::accounts::repo::{self, NewUser};
    use crate::i18n::Msg;
    use crate::policy::Action;
    use crate::server::caller::signed_in;
    use crate::server::context::{pool, settings};
    use crate::server::outbox::link_mail;
    use crate::server::validation::{field_errors, parse_email, required_text};
    use crate::server::{audit, outbox, password, tokens};

    let lang = crate::request::lang();
    let session = signed_in(Action::ManageOwnAccount)?;
    let org = session.actor.org_id;
    signed_in(Action::ManageMembers { org, role: None })?;
    let mut problems = Vec::new();
    let role = Role::parse(&role);
    if role.is_none_or(|role| {
        crate::policy::decide(
            Some(&session.actor),
            Action::ManageMembers {
                org,
                role: Some(role),
            },
        ) != crate::policy::Decision::Allow
    }) {
        problems.push(("role", Msg::ErrorRoleNotAllowed));
    }
    let full_name = required_text(&full_name, 200)
        .map_err(|m| problems.push(("full_name", m)))
        .ok();
    let email = parse_email(&email);
    if email.is_none() {
        problems.push(("email", Msg::ErrorEmailFormat));
    }
    let (Some(role), Some(full_name), Some(email), true) =
        (role, full_name, email, problems.is_empty())
    else {
        return Err(field_errors(lang, problems));
    };
    // Nobody knows this password: the invited person sets one from the emailed link.
    let settings = settings()?;
    let unusable = password::hash(&settings.hashing, tokens::new_secret()).await?;
    let pool = pool()?;
    let mut tx = pool.begin().await?;
    let user = NewUser {
        organisation_id: org,
        email: &email,
        full_name: &full_name,
        role: role.code(),
        password_hash: &unusable,
        lang: lang.code(),
        verified: false,
    };
    let Some(user_id) = repo::insert_user(&mut *tx, user).await? else {
        return Err(field_errors(lang, vec![("email", Msg::ErrorEmailTaken)]));
    };
    let secret =
        repo::create_token(&mut *tx, user_id, "reset_password", INVITATION_TTL_SECS).await?;
    let link = format!("{}/reset-password?token={secret}", settings.public_base);
    let mail = link_mail(
        lang,
        &email,
        [
            Msg::MailInviteSubject,
            Msg::MailInviteIntro,
            Msg::MailInviteIgnore,
        ],
        &link,
    )
    .secret();
    outbox::enqueue(&mut *tx, mail).await?;
    audit::record(
        &mut *tx,
        audit::AuditEvent::new(
            "member_invited",
            &crate::server::caller::request_facts().client_addr,
        )
        .actor(Some(session.actor.user_id))
        .acting_for(Some(org))
        .subject(format!("user:{user_id}"))
        .detail(serde_json::json!({"role": role.code()})),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect("/account?invited=1");
    Ok(())
}
