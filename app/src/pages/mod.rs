//! One module per page.

pub mod not_found;
pub mod status;
