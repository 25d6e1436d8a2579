//! The server's integration tests, linked into one test binary: every module
//! shares the same heavy dependencies (the whole app), so one link instead of
//! one per file keeps builds fast and the target directory small.
//! Run one area with `cargo test -p houvast-server --test suite http::`.

mod support;

mod access;
mod binary;
mod concurrency;
mod http;
mod import;
mod mentoring;
mod notifications;
mod properties;
mod retention;
mod school_login;
mod security;
mod sessions;
mod shutdown;
mod static_files;
