//! Writing the notifications of a step, and the reminders job. Each mail names the case and the
//! kind of step and links to the case; it never carries a message's content or the grounds.

use chrono::NaiveDate;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{PURPOSE_REMINDER_BEFORE, PURPOSE_REMINDER_DUE, PURPOSE_STEP, repo};
use crate::domain::cases::EventKind;
use crate::domain::working_days::Calendar;
use crate::i18n::{Lang, Msg, fmt, t};
use crate::server::outbox::{OutgoingMail, escape_html};
use crate::server::settings::CaseSettings;

/// A step of a case whose recipients get a mail.
#[derive(Clone, Copy, Debug)]
pub struct Notify<'a> {
    pub case_id: Uuid,
    pub reference: &'a str,
    pub importer_id: Uuid,
    pub broker_id: Option<Uuid>,
    /// The timeline event of the step.
    pub event_id: i64,
    pub kind: EventKind,
    /// `Settings::public_base`, for the link.
    pub public_base: &'a str,
}

/// What a mail is about.
#[derive(Clone, Copy, Debug)]
enum About {
    Step(EventKind),
    ReminderBefore(NaiveDate),
    ReminderDue,
}

/// Writes one outbox mail and one `case_notifications` row per recipient of the step, in the
/// caller's transaction.
pub async fn notify(tx: &mut PgConnection, step: &Notify<'_>) -> Result<(), sqlx::Error> {
    write(
        tx,
        Target {
            case_id: step.case_id,
            reference: step.reference,
            importer_id: step.importer_id,
            broker_id: step.broker_id,
            public_base: step.public_base,
        },
        Some(step.event_id),
        PURPOSE_STEP,
        About::Step(step.kind),
    )
    .await
    .map(drop)
}

#[derive(Clone, Copy)]
struct Target<'a> {
    case_id: Uuid,
    reference: &'a str,
    importer_id: Uuid,
    broker_id: Option<Uuid>,
    public_base: &'a str,
}

async fn write(
    tx: &mut PgConnection,
    target: Target<'_>,
    event_id: Option<i64>,
    purpose: &str,
    about: About,
) -> Result<usize, sqlx::Error> {
    let recipients = repo::recipients(&mut *tx, target.importer_id, target.broker_id).await?;
    let link = format!("{}/cases/{}", target.public_base, target.reference);
    for r in &recipients {
        let lang = Lang::parse(&r.lang).unwrap_or_default();
        let mail = mail(lang, &r.email, target.reference, about, &link);
        let outbox_id = repo::enqueue(&mut *tx, &mail).await?;
        repo::insert_notification(
            &mut *tx,
            outbox_id,
            target.case_id,
            event_id,
            r.user_id,
            purpose,
        )
        .await?;
    }
    Ok(recipients.len())
}

fn subject(lang: Lang, reference: &str, about: About) -> String {
    match about {
        About::ReminderBefore(due_on) => {
            fmt::notify_subject_reminder_before(lang, due_on, reference)
        }
        About::ReminderDue => fmt::notify_subject_reminder_due(lang, reference),
        About::Step(kind) => {
            let f = match kind {
                EventKind::Sent => fmt::notify_subject_sent,
                EventKind::Message => fmt::notify_subject_message,
                EventKind::RequestIssued => fmt::notify_subject_request_issued,
                EventKind::ExtensionAsked => fmt::notify_subject_extension_asked,
                EventKind::ExtensionGranted => fmt::notify_subject_extension_granted,
                EventKind::ExtensionRefused => fmt::notify_subject_extension_refused,
                EventKind::AnswerReceived | EventKind::NothingMore => {
                    fmt::notify_subject_answer_received
                }
                EventKind::Outcome => fmt::notify_subject_outcome,
                EventKind::Reopened => fmt::notify_subject_reopened,
                EventKind::Withdrawn => fmt::notify_subject_withdrawn,
                EventKind::Created | EventKind::Assigned | EventKind::Released => {
                    fmt::notify_subject_other
                }
            };
            f(lang, reference)
        }
    }
}

fn mail(lang: Lang, email: &str, reference: &str, about: About, link: &str) -> OutgoingMail {
    let subject = subject(lang, reference, about);
    let sign_in = t(lang, Msg::NotifyBodySignIn);
    let footer = t(lang, Msg::NotifyBodyNoContent);
    OutgoingMail {
        recipient: email.to_string(),
        body_text: format!("{subject}\n\n{sign_in}\n\n{link}\n\n{footer}\n"),
        body_html: format!(
            "<p>{}</p><p>{}</p><p><a href=\"{link}\">{link}</a></p><p>{}</p>",
            escape_html(&subject),
            escape_html(sign_in),
            escape_html(footer),
            link = escape_html(link)
        ),
        subject,
        secret: false,
    }
}

/// Writes the reminders due `today` for unanswered requests of cases awaiting the trader: one
/// `reminder_before` once the due date in force is `reminder_days` working days away or less,
/// and one `reminder_due` on the due date (or later, while still unanswered). Each is written
/// once per request and due date (a granted extension's new date gets its own), with its mails
/// in the same transaction. Returns the number of reminders written.
pub async fn write_reminders(
    pool: &PgPool,
    public_base: &str,
    settings: &CaseSettings,
    today: NaiveDate,
) -> Result<u64, sqlx::Error> {
    let calendar = Calendar::new(repo::holidays(pool).await?);
    let horizon = calendar.add_working_days(today, settings.reminder_days);
    let mut written = 0;
    for request in repo::open_requests_due_by(pool, horizon).await? {
        let due = request.due_on;
        let (purpose, about) = if today >= due {
            (PURPOSE_REMINDER_DUE, About::ReminderDue)
        } else if calendar.working_days_between(today, due) <= settings.reminder_days {
            (PURPOSE_REMINDER_BEFORE, About::ReminderBefore(due))
        } else {
            continue;
        };
        let mut tx = pool.begin().await?;
        if !repo::claim_reminder(&mut *tx, request.request_id, due, purpose).await? {
            continue;
        }
        write(
            &mut tx,
            Target {
                case_id: request.case_id,
                reference: &request.reference,
                importer_id: request.importer_id,
                broker_id: request.broker_id,
                public_base,
            },
            None,
            purpose,
            about,
        )
        .await?;
        tx.commit().await?;
        written += 1;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mail_names_the_case_and_step_and_links_to_it_in_the_recipients_language() {
        let link = "https://valora.example/cases/CAS-2222-3333-4444";
        let es = mail(
            Lang::Es,
            "ana@example.pe",
            "CAS-2222-3333-4444",
            About::Step(EventKind::Message),
            link,
        );
        assert!(es.subject.contains("CAS-2222-3333-4444"));
        assert!(es.subject.contains("Aduanas le ha enviado un mensaje"));
        assert!(es.body_text.contains(link));
        assert!(es.body_html.contains(link));
        let en = mail(
            Lang::En,
            "ana@example.pe",
            "CAS-2222-3333-4444",
            About::Step(EventKind::RequestIssued),
            link,
        );
        assert!(en.subject.contains("Request for information"));
    }
}
