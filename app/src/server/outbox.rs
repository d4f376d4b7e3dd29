//! Mail is queued here, in the same transaction as the action that causes it; the server's mail
//! worker delivers it (with retries), so an SMTP outage delays mail but loses none.

use sqlx::PgExecutor;

use crate::i18n::{Lang, Msg, t};

pub struct OutgoingMail {
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    /// The body carries a secret (a one-time link): the worker blanks it once delivered.
    pub secret: bool,
}

impl OutgoingMail {
    /// The same mail, marked as carrying a secret link.
    pub fn secret(self) -> OutgoingMail {
        OutgoingMail {
            secret: true,
            ..self
        }
    }
}

pub async fn enqueue(db: impl PgExecutor<'_>, mail: OutgoingMail) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO outbox (recipient, subject, body_text, body_html, redact_after_send)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(mail.recipient)
    .bind(mail.subject)
    .bind(mail.body_text)
    .bind(mail.body_html)
    .bind(mail.secret)
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

/// A mail carrying one link: `[subject, text before the link, text after it]`.
pub fn link_mail(
    lang: Lang,
    email: &str,
    [subject, intro, ignore]: [Msg; 3],
    link: &str,
) -> OutgoingMail {
    OutgoingMail {
        recipient: email.to_string(),
        subject: t(lang, subject).to_string(),
        body_text: format!("{}\n\n{link}\n\n{}\n", t(lang, intro), t(lang, ignore)),
        body_html: format!(
            "<p>{}</p><p><a href=\"{link}\">{link}</a></p><p>{}</p>",
            escape_html(t(lang, intro)),
            escape_html(t(lang, ignore)),
            link = escape_html(link)
        ),
        secret: false,
    }
}
