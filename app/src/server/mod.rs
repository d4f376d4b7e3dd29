//! Server-side services that server functions call: password hashing, sessions, throttling,
//! the mail outbox, the audit trail, and the request's caller. Compiled only with `ssr`.

pub mod assets;
pub mod audit;
pub mod blobs;
pub mod caller;
pub mod clamav;
pub mod context;
pub mod housekeeping;
pub mod inspect;
pub mod outbox;
pub mod password;
pub mod quota;
pub mod reference_version;
pub mod sessions;
pub mod settings;
pub mod spreadsheet;
pub mod throttle;
pub mod tokens;
pub mod uploads;
pub mod validation;
