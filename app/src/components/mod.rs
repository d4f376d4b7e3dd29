//! Reusable page parts in the spirit of government design systems.

pub mod form;
pub mod islands;
pub mod load;
pub mod print;
pub mod refresh;
pub mod table;
pub mod upload;
