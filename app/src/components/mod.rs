//! Reusable page parts in the spirit of government design systems.

pub mod form;
pub mod print;
pub mod table;
pub mod upload;
