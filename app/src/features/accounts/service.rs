//! What the account server functions do, on the server, and account creation outside the web
//! forms (demo data and the server's command line: customs staff are created there or by an
//! administrator, never by sign-up).

use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use super::repo::{self, NewOrganisation, NewUser};
use crate::domain::tax_id::{TaxId, TaxIdError, TaxIdScheme};
use crate::error::AppError;
use crate::i18n::{Lang, Msg, t};
use crate::policy::{Action, Decision, OrgKind, Role, decide};
use crate::server::audit::{self, AuditEvent};
use crate::server::caller::{request_facts, signed_in};
use crate::server::context::{pool, set_cookie, settings};
use crate::server::outbox::{self, link_mail};
use crate::server::password::{self, PasswordProblem};
use crate::server::settings::Settings;
use crate::server::validation::{field_errors, parse_email, required_text};
use crate::server::{sessions, throttle};

const VERIFY_LINK_TTL_SECS: f64 = 24.0 * 3600.0;

fn password_message(problem: PasswordProblem) -> Msg {
    match problem {
        PasswordProblem::TooShort => Msg::ErrorPasswordShort,
        PasswordProblem::TooLong => Msg::ErrorPasswordLong,
        PasswordProblem::Common => Msg::ErrorPasswordCommon,
        PasswordProblem::TooGuessable => Msg::ErrorPasswordWeak,
    }
}

pub struct Registration {
    pub org_kind: String,
    pub org_name: String,
    pub tax_id: String,
    pub full_name: String,
    pub email: String,
    pub password: String,
}

/// Creates the organisation and its administrator (unverified), and queues the verification
/// email, all in one transaction. An address that already has an account gets a notice by
/// email instead and the page answers the same, so the form does not reveal who has an account.
pub async fn register(form: Registration) -> Result<(), AppError> {
    let lang = crate::request::lang();
    let mut problems: Vec<(&str, Msg)> = Vec::new();
    let kind = OrgKind::parse(&form.org_kind).filter(|k| *k != OrgKind::Customs);
    if kind.is_none() {
        problems.push(("org_kind", Msg::ErrorOrgKind));
    }
    let org_name = required_text(&form.org_name, 200)
        .map_err(|m| problems.push(("org_name", m)))
        .ok();
    let tax_id = TaxId::parse(TaxIdScheme::Ruc, &form.tax_id)
        .map_err(|e| {
            problems.push((
                "tax_id",
                if e == TaxIdError::CheckDigit {
                    Msg::ErrorTaxIdCheck
                } else {
                    Msg::ErrorTaxIdFormat
                },
            ))
        })
        .ok();
    let full_name = required_text(&form.full_name, 200)
        .map_err(|m| problems.push(("full_name", m)))
        .ok();
    let email = parse_email(&form.email);
    if email.is_none() {
        problems.push(("email", Msg::ErrorEmailFormat));
    }
    let inputs: Vec<&str> = [
        form.email.as_str(),
        form.full_name.as_str(),
        form.org_name.as_str(),
    ]
    .to_vec();
    if let Err(problem) = password::check_policy(&form.password, &inputs) {
        problems.push(("password", password_message(problem)));
    }
    let (Some(kind), Some(org_name), Some(tax_id), Some(full_name), Some(email), true) = (
        kind,
        org_name,
        tax_id,
        full_name,
        email,
        problems.is_empty(),
    ) else {
        return Err(field_errors(lang, problems));
    };

    let settings = settings()?;
    let pool = pool()?;
    let facts = request_facts();
    // The cheap refusals come before the costly hash: a flood of sign-ups from one client, or
    // for one address, stops here.
    let client_key = format!(
        "register:client:{}",
        throttle::client_key(&facts.client_addr)
    );
    let email_key = format!("register:email:{email}");
    let by_client = throttle::record(&pool, &client_key, settings.registration_window).await?;
    let by_email = throttle::record(&pool, &email_key, settings.mail_window).await?;
    if by_client > settings.registrations_per_client || by_email > settings.mails_per_address {
        let (key, window) = if by_client > settings.registrations_per_client {
            (&client_key, settings.registration_window)
        } else {
            (&email_key, settings.mail_window)
        };
        let wait = throttle::seconds_left(&pool, key, window).await?;
        return Err(AppError::too_many(t(lang, Msg::RegisterThrottled), wait));
    }
    // A RUC that customs verified for someone (the customs administration's own among them) is
    // not registered again. The answer names no one; the holder's administrators are told.
    if let Some((holder, _)) = repo::verified_holder(&pool, "RUC", tax_id.as_str()).await? {
        tell_holder_of_attempt(&pool, holder, tax_id.as_str(), &facts.client_addr).await?;
        return Err(field_errors(lang, vec![("tax_id", Msg::ErrorTaxIdTaken)]));
    }
    let password_hash = password::hash(&settings.hashing, form.password).await?;
    let mut tx = pool.begin().await?;
    let new_org = NewOrganisation {
        kind: kind.code(),
        name: &org_name,
        tax_id_scheme: "RUC",
        tax_id: tax_id.as_str(),
        verified: false,
        demo: settings.demo,
    };
    let Some(org_id) = repo::insert_organisation(&mut tx, new_org).await? else {
        return Err(field_errors(lang, vec![("tax_id", Msg::ErrorTaxIdTaken)]));
    };
    let new_user = NewUser {
        organisation_id: org_id,
        email: &email,
        full_name: &full_name,
        role: Role::OrgAdmin.code(),
        password_hash: &password_hash,
        lang: lang.code(),
        verified: false,
    };
    match repo::insert_user(&mut *tx, new_user).await? {
        Some(user_id) => {
            let secret =
                repo::create_token(&mut *tx, user_id, "verify_email", VERIFY_LINK_TTL_SECS).await?;
            let link = format!("{}/verify-email?token={secret}", settings.public_base);
            outbox::enqueue(
                &mut *tx,
                link_mail(
                    lang,
                    &email,
                    [
                        Msg::MailVerifySubject,
                        Msg::MailVerifyIntro,
                        Msg::MailIgnore,
                    ],
                    &link,
                )
                .secret(),
            )
            .await?;
            audit::record(
                &mut *tx,
                AuditEvent::new("register", &facts.client_addr)
                    .actor(Some(user_id))
                    .acting_for(Some(org_id))
                    .subject(format!("organisation:{org_id}"))
                    .detail(json!({"kind": kind.code()})),
            )
            .await?;
            tx.commit().await?;
        }
        None => {
            // The address has an account already: nothing is created; its owner is told
            // (within the per-address mail limit, so the form cannot be used to flood a mailbox).
            tx.rollback().await?;
            let sent =
                throttle::record(&pool, &format!("mail:{email}"), settings.mail_window).await?;
            if sent > settings.mails_per_address {
                leptos_axum::redirect("/register/check-email");
                return Ok(());
            }
            outbox::enqueue(
                &pool,
                link_mail(
                    lang,
                    &email,
                    [
                        Msg::MailVerifySubject,
                        Msg::ErrorEmailTaken,
                        Msg::MailIgnore,
                    ],
                    &format!("{}/sign-in", settings.public_base),
                ),
            )
            .await?;
        }
    }
    leptos_axum::redirect("/register/check-email");
    Ok(())
}

/// Mails the administrators of `holder` that someone tried to register its RUC (at most the
/// per-address mail limit an hour each), and audits the attempt.
async fn tell_holder_of_attempt(
    pool: &PgPool,
    holder: uuid::Uuid,
    ruc: &str,
    client_addr: &str,
) -> Result<(), AppError> {
    let settings = settings()?;
    let mut tx = pool.begin().await?;
    for (email, lang) in repo::administrators_of(&mut *tx, holder).await? {
        let sent =
            throttle::record(&mut *tx, &format!("mail:{email}"), settings.mail_window).await?;
        if sent > settings.mails_per_address {
            continue;
        }
        let lang = Lang::parse(&lang).unwrap_or_default();
        let mail = link_mail(
            lang,
            &email,
            [
                Msg::MailTaxIdAttemptSubject,
                Msg::MailTaxIdAttemptIntro,
                Msg::MailTaxIdAttemptIgnore,
            ],
            &format!("{}/sign-in", settings.public_base),
        );
        outbox::enqueue(&mut *tx, mail).await?;
    }
    audit::record(
        &mut *tx,
        AuditEvent::new("register_refused_verified_tax_id", client_addr)
            .acting_for(Some(holder))
            .subject(format!("RUC {ruc}")),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn verify_email(token: String) -> Result<(), AppError> {
    let lang = crate::request::lang();
    let pool = pool()?;
    let facts = request_facts();
    let mut tx = pool.begin().await?;
    let Some(user_id) = repo::use_token(&mut *tx, token.trim(), "verify_email").await? else {
        return Err(AppError::invalid(t(lang, Msg::VerifyInvalid)));
    };
    repo::mark_verified(&mut *tx, user_id).await?;
    audit::record(
        &mut *tx,
        AuditEvent::new("verify_email", &facts.client_addr).actor(Some(user_id)),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect("/sign-in?verified=1");
    Ok(())
}

fn session_cookie(
    settings: &Settings,
    value: &str,
    max_age: Option<cookie::time::Duration>,
) -> String {
    let mut cookie = cookie::Cookie::build((settings.session_cookie_name(), value.to_string()))
        .path("/")
        .http_only(true)
        .secure(settings.https)
        .same_site(cookie::SameSite::Lax);
    if let Some(max_age) = max_age {
        cookie = cookie.max_age(max_age);
    }
    cookie.build().to_string()
}

/// Signs in. Each attempt is counted before the password is checked, so parallel guesses count
/// as they start: per account and client pair (a stranger's guesses lock out only the stranger,
/// until the window ends) and per client (one client guessing many accounts), both refused with
/// 429 and `Retry-After` past the limit, even with the right password. An account with many
/// recent failures from anywhere is slowed down ([`throttle::progressive_delay`]), never
/// locked. On success the old session ends and a new one starts.
pub async fn sign_in(email: String, password: String) -> Result<(), AppError> {
    let lang = crate::request::lang();
    let settings = settings()?;
    let pool = pool()?;
    let facts = request_facts();
    let email = email.trim().to_lowercase();
    let client = throttle::client_key(&facts.client_addr);
    let pair_key = format!("sign-in:pair:{client}:{email}");
    let client_key = format!("sign-in:client:{client}");
    let account_key = format!("sign-in:account:{email}");
    let (window, limit) = (settings.sign_in_window, settings.sign_in_failures);
    let audit_event = |action: &'static str, actor_id| {
        AuditEvent::new(action, &facts.client_addr)
            .actor(actor_id)
            .subject(format!("email:{email}"))
    };
    let by_pair = throttle::record(&pool, &pair_key, window).await?;
    let by_client = throttle::record(&pool, &client_key, window).await?;
    if by_pair > limit || by_client > limit {
        let key = if by_pair > limit {
            &pair_key
        } else {
            &client_key
        };
        let wait = throttle::seconds_left(&pool, key, window).await?;
        audit::record(&pool, audit_event("sign_in_throttled", None)).await?;
        return Err(AppError::too_many(t(lang, Msg::SignInThrottled), wait));
    }
    let failures = throttle::count(&pool, &account_key, window).await?;
    if let Some(delay) = throttle::progressive_delay(failures, limit) {
        tokio::time::sleep(delay).await;
    }
    let credentials = repo::credentials(&pool, &email).await?;
    // Verified even for unknown addresses, so timing does not tell which exist.
    let password_ok = password::verify(
        &settings.hashing,
        password,
        credentials.as_ref().map(|c| c.password_hash.clone()),
    )
    .await?;
    let credentials = match credentials {
        Some(credentials) if password_ok => credentials,
        other => {
            throttle::record(&pool, &account_key, window).await?;
            let event = match other {
                Some(known) => audit_event("sign_in_failed", Some(known.user_id)),
                // What a stranger typed is not kept: a keyed hash stands in for it.
                None => AuditEvent::new("sign_in_failed", &facts.client_addr).subject(format!(
                    "email-hmac:{}",
                    audit::keyed_hash(&pool, &email).await?
                )),
            };
            audit::record(&pool, event).await?;
            return Err(field_errors(lang, vec![("email", Msg::SignInFailed)]));
        }
    };
    // The right password: this attempt was no guess.
    throttle::clear(&pool, &pair_key).await?;
    throttle::release(&pool, &client_key).await?;
    if !credentials.verified {
        return Err(field_errors(lang, vec![("email", Msg::SignInUnverified)]));
    }
    let mut tx = pool.begin().await?;
    if let Some(old) = &facts.session_token {
        sessions::end(&mut *tx, old).await?;
    }
    let token = sessions::create(
        &mut *tx,
        credentials.user_id,
        &facts.user_agent,
        &facts.client_addr,
    )
    .await?;
    throttle::clear(&mut *tx, &account_key).await?;
    audit::record(&mut *tx, audit_event("sign_in", Some(credentials.user_id))).await?;
    tx.commit().await?;
    set_cookie(session_cookie(&settings, &token, None));
    leptos_axum::redirect("/account");
    Ok(())
}

pub async fn sign_out() -> Result<(), AppError> {
    let settings = settings()?;
    let pool = pool()?;
    let facts = request_facts();
    let actor = facts.session.as_ref().map(|s| s.actor.clone());
    if decide(actor.as_ref(), Action::ManageOwnAccount) == Decision::Allow
        && let Some(token) = &facts.session_token
    {
        let mut tx = pool.begin().await?;
        sessions::end(&mut *tx, token).await?;
        audit::record(
            &mut *tx,
            AuditEvent::new("sign_out", &facts.client_addr)
                .actor(actor.as_ref().map(|a| a.user_id))
                .acting_for(actor.as_ref().and_then(|a| a.acting_for)),
        )
        .await?;
        tx.commit().await?;
    }
    set_cookie(session_cookie(
        &settings,
        "",
        Some(cookie::time::Duration::ZERO),
    ));
    leptos_axum::redirect("/");
    Ok(())
}

const RESET_LINK_TTL_SECS: f64 = 3600.0;
const RESET_PURPOSE: &str = "reset_password";

/// Sends a reset link if the address has an account, within the per-address mail limit. The
/// answer is the same whatever happened, so the page reveals nothing about who has an account.
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    let settings = settings()?;
    let pool = pool()?;
    let facts = request_facts();
    if let Some(email) = parse_email(&email) {
        let key = format!("mail:{email}");
        let sent_recently = throttle::record(&pool, &key, settings.mail_window).await?;
        if sent_recently <= settings.mails_per_address
            && let Some((user_id, user_lang)) = repo::user_by_email(&pool, &email).await?
        {
            let lang = Lang::parse(&user_lang).unwrap_or_default();
            let mut tx = pool.begin().await?;
            let secret =
                repo::create_token(&mut *tx, user_id, RESET_PURPOSE, RESET_LINK_TTL_SECS).await?;
            let link = format!("{}/reset-password?token={secret}", settings.public_base);
            outbox::enqueue(
                &mut *tx,
                link_mail(
                    lang,
                    &email,
                    [
                        Msg::MailResetSubject,
                        Msg::MailResetIntro,
                        Msg::MailResetIgnore,
                    ],
                    &link,
                )
                .secret(),
            )
            .await?;
            audit::record(
                &mut *tx,
                AuditEvent::new("password_reset_requested", &facts.client_addr)
                    .actor(Some(user_id)),
            )
            .await?;
            tx.commit().await?;
        }
    }
    leptos_axum::redirect("/forgot-password/sent");
    Ok(())
}

/// Sets a new password from an emailed link (single use, one hour), spends the account's other
/// reset links and ends every session. The link is checked before the costly hash.
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    let lang = crate::request::lang();
    let pool = pool()?;
    let facts = request_facts();
    let token = token.trim();
    if !repo::token_usable(&pool, token, RESET_PURPOSE).await? {
        return Err(AppError::invalid(t(lang, Msg::ResetInvalid)));
    }
    if let Err(problem) = password::check_policy(&password, &[]) {
        return Err(field_errors(
            lang,
            vec![("password", password_message(problem))],
        ));
    }
    let hash = password::hash(&settings()?.hashing, password).await?;
    let mut tx = pool.begin().await?;
    let Some(user_id) = repo::use_token(&mut *tx, token, RESET_PURPOSE).await? else {
        return Err(AppError::invalid(t(lang, Msg::ResetInvalid)));
    };
    repo::set_password(&mut *tx, user_id, &hash).await?;
    repo::spend_tokens(&mut *tx, user_id, RESET_PURPOSE).await?;
    repo::mark_verified(&mut *tx, user_id).await?;
    repo::end_sessions_except(&mut *tx, user_id, None).await?;
    audit::record(
        &mut *tx,
        AuditEvent::new("password_reset", &facts.client_addr).actor(Some(user_id)),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect("/sign-in?reset=1");
    Ok(())
}

/// Changes the password (the current one is required), spends outstanding reset links and ends
/// the caller's other sessions.
pub async fn change_password(current: String, new: String) -> Result<(), AppError> {
    let lang = crate::request::lang();
    let session = signed_in(Action::ManageOwnAccount)?;
    let pool = pool()?;
    let user_id = session.actor.user_id;
    let hashing = settings()?.hashing;
    let stored = repo::password_hash(&pool, user_id).await?;
    if !password::verify(&hashing, current, Some(stored)).await? {
        return Err(field_errors(
            lang,
            vec![("current_password", Msg::ErrorCurrentPassword)],
        ));
    }
    if let Err(problem) = password::check_policy(&new, &[&session.email, &session.full_name]) {
        return Err(field_errors(
            lang,
            vec![("new_password", password_message(problem))],
        ));
    }
    let hash = password::hash(&hashing, new).await?;
    let mut tx = pool.begin().await?;
    repo::set_password(&mut *tx, user_id, &hash).await?;
    repo::spend_tokens(&mut *tx, user_id, RESET_PURPOSE).await?;
    let ended = repo::end_sessions_except(&mut *tx, user_id, Some(&session.token_hash)).await?;
    audit::record(
        &mut *tx,
        AuditEvent::new("password_changed", &request_facts().client_addr)
            .actor(Some(user_id))
            .acting_for(session.actor.acting_for)
            .detail(json!({"other_sessions_ended": ended})),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect("/account?password=changed");
    Ok(())
}

pub async fn my_sessions() -> Result<Vec<super::SessionView>, AppError> {
    let session = signed_in(Action::ManageOwnAccount)?;
    let rows = repo::sessions_of(&pool()?, session.actor.user_id).await?;
    Ok(rows
        .into_iter()
        .map(|row| super::SessionView {
            current: row.token_hash == session.token_hash,
            id: hex_encode(&row.token_hash),
            started: row.created_at,
            last_seen: row.last_seen_at,
            user_agent: row.user_agent,
        })
        .collect())
}

pub async fn end_session(id: String) -> Result<(), AppError> {
    let lang = crate::request::lang();
    let session = signed_in(Action::ManageOwnAccount)?;
    let Some(token_hash) = hex_decode(&id) else {
        return Err(AppError::invalid(t(lang, Msg::ErrorNotAllowed)));
    };
    let pool = pool()?;
    let mut tx = pool.begin().await?;
    if repo::end_session_of(&mut *tx, session.actor.user_id, &token_hash).await? {
        audit::record(
            &mut *tx,
            AuditEvent::new("session_ended", &request_facts().client_addr)
                .actor(Some(session.actor.user_id))
                .acting_for(session.actor.acting_for),
        )
        .await?;
    }
    tx.commit().await?;
    leptos_axum::redirect("/account");
    Ok(())
}

fn hex_encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hex_decode(text: &str) -> Option<Vec<u8>> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

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
    #[error("no account has the email {0}")]
    NoSuchAccount(String),
    #[error("{email} still has {open} open cases: move them to someone else first")]
    HasOpenCases { email: String, open: i64 },
    #[error("the RUC {ruc} belongs to an organisation of kind {held}")]
    KindMismatch { ruc: String, held: String },
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("hashing: {0}")]
    Hash(String),
}

/// Finds the verified organisation of this kind with this RUC, or creates it verified (the
/// command line and demo data vouch for it). A RUC held by an organisation of another kind is
/// refused: customs staff are never added to a trader's organisation, nor the reverse.
pub async fn ensure_organisation(
    pool: &PgPool,
    kind: OrgKind,
    name: &str,
    ruc: &str,
) -> Result<Uuid, AdminError> {
    ensure_organisation_in(pool, (kind, name, ruc), false).await
}

/// [`ensure_organisation`], marking a new organisation as demo data when `demo`.
pub async fn ensure_organisation_in(
    pool: &PgPool,
    (kind, name, ruc): (OrgKind, &str, &str),
    demo: bool,
) -> Result<Uuid, AdminError> {
    let tax_id =
        TaxId::parse(TaxIdScheme::Ruc, ruc).map_err(|_| AdminError::TaxId(ruc.to_string()))?;
    let mut tx = pool.begin().await?;
    let org = NewOrganisation {
        kind: kind.code(),
        name,
        tax_id_scheme: "RUC",
        tax_id: tax_id.as_str(),
        verified: true,
        demo,
    };
    let id = match repo::insert_organisation(&mut tx, org).await? {
        Some(id) => id,
        None => match repo::verified_holder(&mut *tx, "RUC", tax_id.as_str()).await? {
            Some((id, held)) if held == kind.code() => id,
            Some((_, held)) => {
                return Err(AdminError::KindMismatch {
                    ruc: ruc.to_string(),
                    held,
                });
            }
            None => return Err(AdminError::TaxId(ruc.to_string())),
        },
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
    let email = parse_email(email).ok_or_else(|| AdminError::Email(email.to_string()))?;
    password::check_policy(password, &[&email, full_name]).map_err(AdminError::Password)?;
    // Accounts made here come from the command line and demo data, one at a time.
    let hash = password::hash(&password::Hashing::default(), password.to_string())
        .await
        .map_err(|e| AdminError::Hash(e.to_string()))?;
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

/// Deactivates the account with `email` (the command line): it can no longer sign in, its
/// sessions end at once and its history stays. The database refuses while the person has open
/// cases assigned (they must be moved first); that refusal comes back as
/// [`AdminError::HasOpenCases`].
pub async fn deactivate_user(
    pool: &PgPool,
    email: &str,
    client_addr: &str,
) -> Result<Uuid, AdminError> {
    let email = email.trim().to_lowercase();
    deactivate(pool, Leaver::ByEmail(&email), None, client_addr).await
}

/// Deactivates the member `id` of `org`, as [`deactivate_user`] does, on the word of `by` (an
/// administrator of `org`).
pub async fn deactivate_member(
    pool: &PgPool,
    (org, id): (Uuid, Uuid),
    by: Uuid,
    client_addr: &str,
) -> Result<Uuid, AdminError> {
    deactivate(pool, Leaver::Member { org, id }, Some(by), client_addr).await
}

/// Who leaves: found by email (any organisation), or a member of an organisation.
enum Leaver<'a> {
    ByEmail(&'a str),
    Member { org: Uuid, id: Uuid },
}

async fn deactivate(
    pool: &PgPool,
    leaver: Leaver<'_>,
    by: Option<Uuid>,
    client_addr: &str,
) -> Result<Uuid, AdminError> {
    let mut tx = pool.begin().await?;
    let (deactivated, named, org) = match leaver {
        Leaver::ByEmail(email) => (
            repo::deactivate(&mut tx, email).await,
            email.to_string(),
            None,
        ),
        Leaver::Member { org, id } => (
            repo::deactivate_member(&mut tx, org, id).await,
            id.to_string(),
            Some(org),
        ),
    };
    let id = match deactivated {
        Ok(Some(id)) => id,
        Ok(None) => return Err(AdminError::NoSuchAccount(named)),
        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some(OPEN_CASES_SQLSTATE) => {
            let open = open_cases_in(&*e).unwrap_or_default();
            return Err(AdminError::HasOpenCases { email: named, open });
        }
        Err(e) => return Err(e.into()),
    };
    repo::end_sessions_except(&mut *tx, id, None).await?;
    audit::record(
        &mut *tx,
        AuditEvent::new("user_deactivated", client_addr)
            .actor(by)
            .acting_for(org)
            .subject(format!("user:{id}")),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The SQLSTATE of the database's refusal to deactivate a person with open cases.
const OPEN_CASES_SQLSTATE: &str = "VA001";

/// The number of open cases the refusal names (its hint).
fn open_cases_in(error: &dyn sqlx::error::DatabaseError) -> Option<i64> {
    let pg = error.try_downcast_ref::<sqlx::postgres::PgDatabaseError>()?;
    pg.hint()?.parse().ok()
}
