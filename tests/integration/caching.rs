//! What browsers may keep: the site's files named by their content for a year, compressed files
//! served as built, public pages revalidated by `ETag`, and no script at all on a page without
//! an island.

use valora_tests::TestApp;

#[tokio::test]
async fn the_site_files_are_named_by_their_content_and_kept_for_a_year() {
    let app = TestApp::spawn().await;
    let stylesheet = app::server::assets::hashes().stylesheet();
    assert!(
        app::server::assets::hashes().css.is_some(),
        "run `cargo leptos build` first: the test serves target/site and its hash.txt"
    );
    let home = app.get("/").await.text().await.unwrap();
    assert!(home.contains(&format!("href=\"{stylesheet}\"")), "{home}");
    let css = app.get(&stylesheet).await;
    assert_eq!(css.status(), 200);
    assert_eq!(
        css.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    // A name without the hash is not the site's (a stale bookmark, a guess): never cached long.
    let favicon = app.get("/favicon.svg").await;
    assert_eq!(favicon.headers()["cache-control"], "no-cache");
}

#[tokio::test]
async fn a_file_compressed_at_build_time_is_served_as_it_is() {
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    // The name the server links (from hash.txt), with its brotli and gzip siblings as
    // `cargo leptos build --release --precompress` writes them; the marker bytes show which
    // one went out, untouched.
    let stylesheet = {
        let _ = TestApp::spawn().await;
        app::server::assets::hashes().stylesheet()
    };
    let file = pkg.join(stylesheet.trim_start_matches("/pkg/"));
    std::fs::write(&file, "body { color: black }".repeat(100)).unwrap();
    std::fs::write(file.with_extension("css.br"), b"brotli as built").unwrap();
    std::fs::write(file.with_extension("css.gz"), b"gzip as built").unwrap();
    let site_root = site.path().to_path_buf();
    let app = TestApp::spawn_configured(|c| c.site_root = site_root).await;

    let br = app
        .get_with(&stylesheet, &[("accept-encoding", "br, gzip")])
        .await;
    assert_eq!(br.status(), 200);
    assert_eq!(br.headers()["content-encoding"], "br");
    assert_eq!(
        br.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(br.bytes().await.unwrap().as_ref(), b"brotli as built");
    let gzip = app
        .get_with(&stylesheet, &[("accept-encoding", "gzip")])
        .await;
    assert_eq!(gzip.headers()["content-encoding"], "gzip");
    assert_eq!(gzip.bytes().await.unwrap().as_ref(), b"gzip as built");
}

#[tokio::test]
async fn a_public_page_is_revalidated_by_its_etag_and_an_unchanged_one_costs_a_304() {
    let app = TestApp::spawn().await;
    // The home page has an island, so its loader script carries a new nonce every time.
    for path in ["/", "/bands", "/check"] {
        let first = app.get(path).await;
        assert_eq!(first.status(), 200, "{path}");
        assert_eq!(first.headers()["cache-control"], "no-cache", "{path}");
        let tag = first.headers()["etag"].to_str().unwrap().to_string();
        let again = app.get_with(path, &[("if-none-match", &tag)]).await;
        assert_eq!(again.status(), 304, "{path}");
        assert_eq!(again.headers()["etag"].to_str().unwrap(), tag, "{path}");
        assert!(
            !again.headers().contains_key("content-security-policy"),
            "{path}: the kept body keeps its own policy and nonce"
        );
        assert!(again.bytes().await.unwrap().is_empty(), "{path}");
        let other = app
            .get_with(path, &[("if-none-match", "W/\"another-version\"")])
            .await;
        assert_eq!(other.status(), 200, "{path}");
    }
    // The same page in the other language is another version.
    let es = app.get("/bands").await.headers()["etag"].clone();
    let en = app.get("/bands?lang=en").await.headers()["etag"].clone();
    assert_ne!(es, en);
}

#[tokio::test]
async fn a_page_without_an_island_loads_no_script_and_one_with_an_island_loads_the_bundle() {
    let app = TestApp::spawn().await;
    // (Leptos writes two tiny inline scripts of resource bookkeeping on every page.)
    let bands = app.get("/bands").await.text().await.unwrap();
    assert!(!bands.contains("<leptos-island"), "{bands}");
    assert!(!bands.contains("type=\"module\""), "{bands}");
    assert!(!bands.contains(".wasm"), "{bands}");
    let check = app.get("/check").await.text().await.unwrap();
    assert!(
        check.contains("<leptos-island"),
        "the live value is an island"
    );
    assert_eq!(
        check.matches("type=\"module\"").count(),
        1,
        "one loader: {check}"
    );
    assert!(check.contains(".wasm"));
}
