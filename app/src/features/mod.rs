//! Rule: a feature imports the shared layers (`domain`, `components`, `server`, `labels`, `error`, `policy`, `i18n`, `context`, `request`) and the features listed before it here, never one after; `pages/` composes features.
//!
//! The list below is the stack, from the bottom up: each feature folder holds `mod.rs` (types
//! and server functions), `pages.rs` (components), `repo.rs` (SQL only) and `service.rs` (a
//! workflow across repos or with other I/O), each only where the feature needs it.
//! `app/tests/layers.rs` reads this list and every `use` line and fails on an import that runs
//! back up the stack. (A comment between entries keeps rustfmt from sorting them.)

// answers to "did this page help?"
pub mod feedback;
// declaration records loaded by COPY
pub mod records;
// reference data importers and the upload page
pub mod reference;
// published bands: public lookup and open data
pub mod bands;
// computing, reviewing and publishing bands
pub mod band_runs;
// sign-up, sign-in, recovery, sessions
pub mod accounts;
// an organisation's people and invitations
pub mod members;
// brokers acting for importers
pub mod mandates;
// the checks API's tokens
pub mod api_tokens;
// the value check: fields, form, result, the one check path
pub mod check;
// saved checks
pub mod assessments;
// many lines at once: files, the checks API's lines, exports
pub mod batches;
// the company evidence library
pub mod library;
// supporting documents on saved assessments, submission to customs, receipts
pub mod documents;
// case notifications: one email per recipient, delivery outcomes, reminders
pub mod notifications;
// customs cases: the trader side and the shared case page
pub mod cases;
// customs' work on cases: queue, assignment, requests, outcomes, reports, holidays
pub mod casework;
// who an organisation really is: evidence, customs' queue, verify or reject
pub mod verification;
