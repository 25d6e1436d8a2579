#![recursion_limit = "256"]
//! Houvast's user interface: the Leptos application rendered on the server,
//! its server functions, its translations (`locales/nl.json` is the
//! default, `locales/en.json` the alternative), and the islands that the
//! browser runs.
//!
//! Server functions stay thin: take the context, call one service from the
//! `houvast` crate, map the error. Pages work without JavaScript; the
//! islands only make a few of them quicker to use.
//!
//! The browser bundle (`hydrate`) compiles the islands alone: pages,
//! components, server functions and translations never reach the browser,
//! so they are not compiled for it.

#[cfg(not(feature = "hydrate"))]
pub mod api;
#[cfg(not(feature = "hydrate"))]
pub mod app;
#[cfg(not(feature = "hydrate"))]
pub mod components;
#[cfg(not(feature = "hydrate"))]
pub mod error;
pub mod islands;
#[cfg(not(feature = "hydrate"))]
pub mod pages;
#[cfg(not(feature = "hydrate"))]
pub mod paths;
#[cfg(feature = "ssr")]
pub mod ssr;

#[cfg(not(feature = "hydrate"))]
include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

#[cfg(not(feature = "hydrate"))]
pub use app::{App, shell};
#[cfg(not(feature = "hydrate"))]
pub use error::AppError;

/// Name of the compiled browser bundle: `/pkg/houvast.js`, `/pkg/houvast_bg.wasm`, `/pkg/houvast.css`.
pub const OUTPUT_NAME: &str = "houvast";
/// Name of the language cookie (shared with the no-JavaScript language switch).
pub const LOCALE_COOKIE: &str = "i18n_pref_locale";
