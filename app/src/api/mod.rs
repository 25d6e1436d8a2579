//! Server functions. Each has a fixed endpoint under `/api/`, so the URL does
//! not depend on where the crate was built. Each takes the session context,
//! calls one service, and maps the error. Arguments are plain strings and
//! numbers, so any form post deserializes; validation is the service's.
//!
//! Only the functions listed in `PUBLIC` may be called without logging in.

pub mod account;
pub mod admin;
pub mod audit;
pub mod auth;
pub mod checkins;
pub mod mentoring;
pub mod notifications;
pub mod people;
pub mod personal_data;
pub mod privacy;
pub mod retention;
pub mod signals;
pub mod starters;
pub mod status;
pub mod teams;
pub mod templates;

/// Endpoints that work without a login: the status page, the login and
/// link pages, and "who am I" (which answers `None`).
pub const PUBLIC: &[&str] = &[
    "/api/status/institutions",
    "/api/privacy/context",
    "/api/auth/viewer",
    "/api/auth/login",
    "/api/auth/link",
    "/api/auth/set-password",
    "/api/auth/forgot",
    "/api/auth/forgot-available",
    "/api/auth/school-logins",
];
