//! One module per page.

pub mod account;
pub mod admin;
pub mod audit;
pub mod backtest;
pub mod checkin;
pub mod conversations;
pub mod forgot;
pub mod home;
pub mod import;
pub mod link;
pub mod login;
pub mod mentoring;
pub mod my_data;
pub mod not_found;
pub mod notifications;
pub mod people;
pub mod privacy;
pub mod retention;
pub mod signal_settings;
pub mod signals;
pub mod starters;
pub mod status;
pub mod teams;
pub mod templates;
