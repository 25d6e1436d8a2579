//! Browser files are served from the site root, precompressed copies
//! preferred, with cache headers; a missing file is the 404 page.

use crate::support::*;
use axum::http::StatusCode;

fn site_with_bundle() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("pkg")).unwrap();
    std::fs::write(site.path().join("pkg/houvast.js"), "export default function init() {}").unwrap();
    std::fs::write(site.path().join("pkg/houvast.js.br"), b"\x0b\x02\x80brotli-bytes").unwrap();
    std::fs::write(site.path().join("favicon.svg"), "<svg/>").unwrap();
    site
}

houvast::db_test!(async fn bundle_files_are_served_precompressed_and_revalidated(db) {
    let site = site_with_bundle();
    let app = router_with_site(db, site.path()).await;

    let br = get_with(&app, "/pkg/houvast.js", &[("accept-encoding", "br, gzip")]).await;
    assert_eq!(br.status, StatusCode::OK);
    assert_eq!(br.header("content-encoding"), Some("br"));
    assert_eq!(br.bytes, b"\x0b\x02\x80brotli-bytes");
    assert_eq!(br.header("cache-control"), Some("no-cache"));
    assert!(br.header("last-modified").is_some());

    let plain = get(&app, "/pkg/houvast.js").await;
    assert_eq!(plain.text(), "export default function init() {}");
    assert!(plain.header("content-type").unwrap().contains("javascript"));

    let icon = get(&app, "/favicon.svg").await;
    assert_eq!(icon.status, StatusCode::OK);
    assert_eq!(icon.header("cache-control"), Some("public, max-age=86400"));
});

houvast::db_test!(async fn missing_files_and_traversal_get_the_404_page(db) {
    let site = site_with_bundle();
    let app = router_with_site(db, site.path()).await;
    for path in ["/pkg/missing.wasm", "/pkg/../../etc/passwd", "/pkg/%2e%2e/%2e%2e/etc/passwd"] {
        let response = get(&app, path).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
        assert!(visible_text(&response.text()).contains("Pagina niet gevonden"), "{path}");
    }
});
