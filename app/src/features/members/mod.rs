//! The people of an organisation: its administrator sees them and invites more (a valuation
//! administrator does the same for customs staff). An invitation creates the account unverified,
//! with no usable password, and emails a link to choose one.

pub mod pages;
#[cfg(feature = "ssr")]
mod repo;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::policy::Role;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub full_name: String,
    pub email: String,
    pub role: Role,
    pub pending: bool,
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
        .filter_map(|(full_name, email, role, pending)| {
            Some(MemberView {
                full_name,
                email,
                role: Role::parse(&role)?,
                pending,
            })
        })
        .collect();
    Ok((members, roles_for(session.actor.org_kind).to_vec()))
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
    let unusable = password::hash(tokens::new_secret())
        .await
        .map_err(AppError::internal)?;
    let settings = settings()?;
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
    );
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
