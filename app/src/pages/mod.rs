//! Route pages that compose several features, and the frame around every page (a feature
//! imports the shared layers and the features below it; only `pages/` composes features).

pub mod account;
pub mod assessment;
pub mod case;
pub mod check;
pub mod error;
pub mod home;
pub mod layout;
pub mod not_found;
