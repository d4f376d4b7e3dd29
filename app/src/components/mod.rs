//! Reusable page parts in the spirit of government design systems.

pub mod form;
pub mod table;
