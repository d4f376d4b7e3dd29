//! Features that talk to the server: each module holds its server functions, its components and
//! (server only) its SQL.

pub mod accounts;
pub mod api_tokens;
pub mod assessments;
pub mod bands;
pub mod batches;
pub mod check;
pub mod feedback;
pub mod mandates;
pub mod members;
pub mod records;
pub mod reference;
