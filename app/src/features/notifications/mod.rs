//! Case notifications that are not lost: each step writes one email per recipient to the
//! outbox in the recipient's language, without the message's content (a link to sign in), and
//! records it, so every delivery's outcome (pending, sent, failed after its retries) is shown on
//! the case; reminders before and on a due date.

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

use crate::domain::cases::EventKind;

/// One notification email of a case and its delivery outcome (the case page maps it into
/// `cases::DeliveryView`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    pub recipient: String,
    /// The step that caused it; `None` for a reminder.
    pub event: Option<EventKind>,
    /// `pending`, `sent` or `failed`.
    pub status: String,
    /// When it was sent or marked failed, else when it was written (`YYYY-MM-DD HH:MM UTC`).
    pub at: String,
}

/// The purposes of a notification row: a step, or one of the two reminders of a due date.
pub const PURPOSE_STEP: &str = "step";
pub const PURPOSE_REMINDER_BEFORE: &str = "reminder_before";
pub const PURPOSE_REMINDER_DUE: &str = "reminder_due";
