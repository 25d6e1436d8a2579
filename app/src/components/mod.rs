//! Building blocks shared by the pages.

pub mod error;
pub mod form;
pub mod labels;
pub mod language;
pub mod layout;
pub mod mentoring_labels;
pub mod title;
pub mod trajectory_labels;
