//! Houvast's domain crate: the types, rules and storage behind the induction
//! and mentoring tracker for starting teachers.
//!
//! Without the `server` feature this crate is plain data and pure functions
//! and compiles to wasm32, so the browser UI shares its types and validation.
//! With `server` it adds the store (SQLite or PostgreSQL through one code
//! path), the services that enforce access, and the demo dataset.

pub mod clock;
pub mod domain;

#[cfg(feature = "server")]
pub mod csv;
#[cfg(feature = "server")]
pub mod demo;
#[cfg(feature = "server")]
pub mod service;
#[cfg(feature = "server")]
pub mod store;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
