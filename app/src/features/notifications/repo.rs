//! SQL of recipients, recorded notifications, delivery outcomes and reminders.

use chrono::NaiveDate;
use sqlx::PgExecutor;
use uuid::Uuid;

use super::Delivery;
use crate::domain::cases::EventKind;
use crate::server::outbox::OutgoingMail;

/// A person a case notification goes to.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Recipient {
    pub user_id: Uuid,
    pub email: String,
    pub lang: String,
}

/// The importer's members who follow cases, plus the broker firm's members when the importer
/// lets its broker get case mail.
pub async fn recipients(
    db: impl PgExecutor<'_>,
    importer_id: Uuid,
    broker_id: Option<Uuid>,
) -> Result<Vec<Recipient>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id AS user_id, u.email, u.lang FROM users u
         WHERE u.follows_cases AND u.deactivated_at IS NULL
           AND (u.organisation_id = $1
                OR ($2::uuid IS NOT NULL AND u.organisation_id = $2
                    AND (SELECT case_mail_to_broker FROM organisations WHERE id = $1)))
         ORDER BY u.email",
    )
    .bind(importer_id)
    .bind(broker_id)
    .fetch_all(db)
    .await
}

/// Queues a mail and returns its outbox id.
pub async fn enqueue(db: impl PgExecutor<'_>, mail: &OutgoingMail) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO outbox (recipient, subject, body_text, body_html) VALUES ($1, $2, $3, $4)
         RETURNING id",
    )
    .bind(&mail.recipient)
    .bind(&mail.subject)
    .bind(&mail.body_text)
    .bind(&mail.body_html)
    .fetch_one(db)
    .await
}

/// Records the notification an outbox mail carries.
pub async fn insert_notification(
    db: impl PgExecutor<'_>,
    outbox_id: i64,
    case_id: Uuid,
    event_id: Option<i64>,
    user_id: Uuid,
    purpose: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO case_notifications (outbox_id, case_id, event_id, user_id, purpose)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(outbox_id)
    .bind(case_id)
    .bind(event_id)
    .bind(user_id)
    .bind(purpose)
    .execute(db)
    .await?;
    Ok(())
}

/// Every notification of a case with its delivery outcome, oldest first.
pub async fn deliveries(
    db: impl PgExecutor<'_>,
    case_id: Uuid,
) -> Result<Vec<Delivery>, sqlx::Error> {
    let rows: Vec<(String, Option<String>, String, String)> = sqlx::query_as(
        "SELECT o.recipient, e.kind,
                CASE WHEN o.sent_at IS NOT NULL THEN 'sent'
                     WHEN o.failed_at IS NOT NULL THEN 'failed'
                     ELSE 'pending' END,
                to_char(COALESCE(o.sent_at, o.failed_at, o.created_at) AT TIME ZONE 'UTC',
                        'YYYY-MM-DD HH24:MI') || ' UTC'
         FROM case_notifications n
         JOIN outbox o ON o.id = n.outbox_id
         LEFT JOIN case_events e ON e.id = n.event_id
         WHERE n.case_id = $1
         ORDER BY n.outbox_id",
    )
    .bind(case_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(recipient, kind, status, at)| Delivery {
            recipient,
            event: kind.as_deref().and_then(EventKind::parse),
            status,
            at,
        })
        .collect())
}

/// Case notifications of the importer's cases that failed after their retries.
pub async fn failed_for_importer(
    db: impl PgExecutor<'_>,
    importer_id: Uuid,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT count(*) FROM case_notifications n
         JOIN outbox o ON o.id = n.outbox_id
         JOIN cases c ON c.id = n.case_id
         WHERE c.importer_id = $1 AND o.failed_at IS NOT NULL",
    )
    .bind(importer_id)
    .fetch_one(db)
    .await
}

/// The holidays of the working-day calendar.
pub async fn holidays(db: impl PgExecutor<'_>) -> Result<Vec<NaiveDate>, sqlx::Error> {
    sqlx::query_scalar("SELECT day FROM holidays ORDER BY day")
        .fetch_all(db)
        .await
}

/// An unanswered request of a case awaiting the trader, with the due date in force.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OpenRequest {
    pub request_id: Uuid,
    pub case_id: Uuid,
    pub reference: String,
    pub importer_id: Uuid,
    pub broker_id: Option<Uuid>,
    pub due_on: NaiveDate,
}

/// Open requests due on or before `until`.
pub async fn open_requests_due_by(
    db: impl PgExecutor<'_>,
    until: NaiveDate,
) -> Result<Vec<OpenRequest>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id AS request_id, c.id AS case_id, c.reference, c.importer_id, c.broker_id,
                CASE WHEN r.extension_granted IS TRUE THEN r.extension_due_on ELSE r.due_on END
                    AS due_on
         FROM case_requests r
         JOIN cases c ON c.id = r.case_id
         WHERE r.answered_at IS NULL AND c.state = 'awaiting_trader'
           AND CASE WHEN r.extension_granted IS TRUE THEN r.extension_due_on ELSE r.due_on END <= $1
         ORDER BY r.id",
    )
    .bind(until)
    .fetch_all(db)
    .await
}

/// Claims a reminder; `false` when it was already written.
pub async fn claim_reminder(
    db: impl PgExecutor<'_>,
    request_id: Uuid,
    due_on: NaiveDate,
    purpose: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO case_reminders (request_id, due_on, purpose) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING",
    )
    .bind(request_id)
    .bind(due_on)
    .bind(purpose)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}
