#![recursion_limit = "256"]
//! Houvast's user interface: the Leptos application rendered on the server
//! and hydrated in the browser, its server functions, and its translations
//! (`locales/nl.json` is the default, `locales/en.json` the alternative).
//!
//! Server functions stay thin: take the context, call one service from the
//! `houvast` crate, map the error. Pages work without JavaScript; the WASM
//! bundle only makes them quicker to use.

pub mod api;
pub mod app;
pub mod components;
pub mod error;
pub mod islands;
pub mod pages;
pub mod paths;
#[cfg(feature = "ssr")]
pub mod ssr;

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub use app::{App, shell};
pub use error::AppError;

/// Name of the compiled browser bundle: `/pkg/houvast.js`, `/pkg/houvast_bg.wasm`, `/pkg/houvast.css`.
pub const OUTPUT_NAME: &str = "houvast";
/// Name of the language cookie (shared with the no-JavaScript language switch).
pub const LOCALE_COOKIE: &str = "i18n_pref_locale";
