//! Mail is queued here, in the same transaction as the action that causes it; the server's mail
//! worker delivers it (with retries), so an SMTP outage delays mail but loses none.

use sqlx::PgExecutor;

pub struct OutgoingMail {
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
}

pub async fn enqueue(db: impl PgExecutor<'_>, mail: OutgoingMail) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO outbox (recipient, subject, body_text, body_html) VALUES ($1, $2, $3, $4)",
    )
    .bind(mail.recipient)
    .bind(mail.subject)
    .bind(mail.body_text)
    .bind(mail.body_html)
    .execute(db)
    .await?;
    Ok(())
}

/// Escapes text for the HTML part of an email.
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
