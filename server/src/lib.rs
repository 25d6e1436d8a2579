//! The `houvast` binary's library half: configuration, the HTTP router with
//! its middleware, the command line, and startup/shutdown. Kept as a library
//! so the integration tests drive exactly the router production serves.

pub mod access;
pub mod admission;
pub mod api_errors;
pub mod backtest_csv;
pub mod cli;
pub mod config;
pub mod health;
pub mod import;
pub mod locale;
pub mod metrics;
pub mod notify;
pub mod personal_data;
pub mod render_guard;
pub mod retention;
pub mod retention_csv;
pub mod router;
pub mod school_login;
pub mod security;
pub mod serve;
pub mod signals;
pub mod site;
pub mod state;
pub mod telemetry;
pub mod upload;
