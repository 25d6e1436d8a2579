//! Building blocks shared by the pages.

pub mod checkin_history;
pub mod dates;
pub mod error;
pub mod form;
pub mod labels;
pub mod language;
pub mod layout;
pub mod loaded;
pub mod mentoring_labels;
pub mod notification_text;
pub mod title;
pub mod trajectory_labels;
