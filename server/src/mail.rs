//! The mail worker: delivers the outbox. Rows are claimed with `FOR UPDATE SKIP LOCKED` inside
//! a transaction held while sending, so two server processes never send the same message; a
//! failed delivery is retried with a growing delay, until `max_attempts` failures mark it failed
//! (`failed_at`) and it is no longer tried. Without `SMTP_URL`, demo mode writes each
//! message as a `.eml` file under `<data dir>/mail`; otherwise mail waits in the outbox.

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::MultiPart;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::PgPool;
use tokio::sync::watch;

const BATCH: i64 = 20;
const FROM: &str = "Valora <no-reply@valora.invalid>";

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

impl Transport {
    pub fn from_settings(
        smtp_url: Option<&str>,
        demo: bool,
        data_dir: &std::path::Path,
    ) -> Result<Option<Transport>, String> {
        if let Some(url) = smtp_url {
            let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map_err(|e| format!("SMTP_URL is not valid: {e}"))?
                .timeout(Some(Duration::from_secs(10)))
                .build();
            return Ok(Some(Transport::Smtp(transport)));
        }
        if demo {
            let dir: PathBuf = data_dir.join("mail");
            std::fs::create_dir_all(&dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            tracing::info!(dir = %dir.display(), "demo mode without SMTP_URL: mail is written to files");
            return Ok(Some(Transport::Files(AsyncFileTransport::new(dir))));
        }
        tracing::warn!("SMTP_URL is not set: mail stays in the outbox until it is");
        Ok(None)
    }

    async fn send(&self, message: Message) -> Result<(), String> {
        match self {
            Transport::Smtp(t) => t.send(message).await.map(drop).map_err(|e| e.to_string()),
            Transport::Files(t) => t.send(message).await.map(drop).map_err(|e| e.to_string()),
        }
    }
}

/// Runs until `stop` changes, delivering due mail every `poll`; a message failing
/// `max_attempts` times is marked failed.
pub async fn run(
    pool: PgPool,
    transport: Transport,
    poll: Duration,
    max_attempts: u32,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        match deliver_due(&pool, &transport, max_attempts).await {
            Ok(sent) if sent > 0 => continue,
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "mail worker could not read the outbox"),
        }
        tokio::select! {
            _ = tokio::time::sleep(poll) => {}
            _ = stop.changed() => return,
        }
    }
}

/// How long a claimed mail is left to the worker that claimed it: a worker that dies mid-send
/// leaves it to be claimed again after this.
const LEASE_SECS: f64 = 300.0;

/// Delivers the mail that is due, up to a batch. The batch is claimed in one short statement
/// (its next attempt moved a lease ahead, `SKIP LOCKED` so that servers never claim the same
/// row) and sent with no transaction open and no row locked, however slow the SMTP server;
/// each outcome is then written on its own. A mail that fails `max_attempts` times is marked
/// failed (a dead letter, shown on its case) and not retried. A mail with a secret link has
/// its body blanked once delivered.
pub async fn deliver_due(
    pool: &PgPool,
    transport: &Transport,
    max_attempts: u32,
) -> Result<usize, sqlx::Error> {
    let due: Vec<(i64, String, String, String, String, i32)> = sqlx::query_as(
        "UPDATE outbox SET next_attempt_at = now() + make_interval(secs => $2)
         WHERE id IN (
             SELECT id FROM outbox
             WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
             ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING id, recipient, subject, body_text, body_html, attempts",
    )
    .bind(BATCH)
    .bind(LEASE_SECS)
    .fetch_all(pool)
    .await?;
    let mut sent = 0;
    for (id, recipient, subject, text, html, attempts) in due {
        let outcome = match build(&recipient, &subject, text, html) {
            Ok(message) => transport.send(message).await,
            Err(e) => Err(e),
        };
        match outcome {
            Ok(()) => {
                sqlx::query(
                    "UPDATE outbox SET sent_at = now(), attempts = attempts + 1, last_error = NULL,
                         body_text = CASE WHEN redact_after_send THEN '' ELSE body_text END,
                         body_html = CASE WHEN redact_after_send THEN '' ELSE body_html END
                     WHERE id = $1",
                )
                .bind(id)
                .execute(pool)
                .await?;
                sent += 1;
            }
            Err(error) => {
                let give_up = i64::from(attempts) + 1 >= i64::from(max_attempts);
                let delay = 2f64.powi(attempts.clamp(0, 9) + 1).min(900.0);
                if give_up {
                    tracing::error!(outbox_id = id, attempts = attempts + 1, %error, "mail delivery failed; giving up");
                } else {
                    tracing::warn!(outbox_id = id, attempts = attempts + 1, %error, "mail delivery failed; will retry");
                }
                sqlx::query(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = $2,
                         next_attempt_at = now() + make_interval(secs => $3),
                         failed_at = CASE WHEN $4 THEN now() END
                     WHERE id = $1",
                )
                .bind(id)
                .bind(error.chars().take(500).collect::<String>())
                .bind(delay)
                .bind(give_up)
                .execute(pool)
                .await?;
            }
        }
    }
    Ok(sent)
}

fn build(recipient: &str, subject: &str, text: String, html: String) -> Result<Message, String> {
    Message::builder()
        .from(FROM.parse().map_err(|e| format!("{e}"))?)
        .to(recipient
            .parse()
            .map_err(|e| format!("bad recipient: {e}"))?)
        .subject(subject)
        .multipart(MultiPart::alternative_plain_html(text, html))
        .map_err(|e| e.to_string())
}
