//! Where the compiled browser files live, and how they are served:
//! precompressed (`.br`, `.gz`) when the build made them, revalidated by
//! `Last-Modified` so a new release is picked up at once.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{HeaderValue, Request, Response, StatusCode, header};
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// The first existing of: `site` next to the binary, `../site` next to the
/// binary (the build's `target/site` for `target/release/houvast`), and
/// `target/site` in the working directory. Falls back to the last.
pub fn default_site_root() -> PathBuf {
    let beside_binary = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf));
    let mut candidates = Vec::new();
    if let Some(dir) = beside_binary {
        candidates.push(dir.join("site"));
        candidates.push(dir.join("..").join("site"));
    }
    candidates.push(PathBuf::from("target/site"));
    candidates
        .iter()
        .find(|dir| dir.join("pkg").is_dir())
        .cloned()
        .unwrap_or_else(|| PathBuf::from("target/site"))
}

/// Serve a file from the site root, or `None` when there is no such file.
pub async fn serve_file(site_root: &Path, request: Request<Body>) -> Option<Response<Body>> {
    let is_pkg = request.uri().path().starts_with("/pkg/");
    let response = ServeDir::new(site_root)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false)
        .oneshot(request)
        .await
        .unwrap_or_else(|never| match never {});
    if response.status() == StatusCode::NOT_FOUND {
        return None;
    }
    let mut response = response.map(Body::new);
    let cache = if is_pkg { "no-cache" } else { "public, max-age=86400" };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    Some(response)
}
