//! The company evidence library: compliance users add documents and new versions, the list
//! filters by type, supplier, tariff code and validity, a library document is attached to an
//! assessment as the same stored file (no copy) unless it has expired, and a broker reads the
//! importer's library only while acting for it.

use app::domain::documents::{DocType, Validity};
use app::features::library::LibraryList;
use valora_server::demo::documents::pdf;
use valora_tests::{TestApp, location};

use super::documents::{ADMIN, BROKER, COMPLIANCE, documents_of, get_json_as, post_multipart};

fn day(offset: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(offset)).to_string()
}

async fn add(
    app: &TestApp,
    cookie: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, Vec<u8>)>,
) -> reqwest::Response {
    let files: Vec<(&str, &str, Vec<u8>)> = file
        .into_iter()
        .map(|(name, bytes)| ("file", name, bytes))
        .collect();
    post_multipart(
        app,
        "/library/documents",
        Some(cookie),
        fields,
        &files,
        false,
    )
    .await
}

async fn library(app: &TestApp, cookie: &str, query: &str) -> LibraryList {
    let response = get_json_as(app, &format!("/api/library?{query}"), cookie).await;
    assert_eq!(response.status(), 200, "{query}");
    response.json().await.expect("the library")
}

fn titles(list: &LibraryList) -> Vec<&str> {
    list.rows.iter().map(|r| r.title.as_str()).collect()
}

#[tokio::test]
async fn compliance_adds_documents_and_versions_and_the_list_filters_them() {
    let app = TestApp::spawn_configured(|c| c.demo = true).await;
    let compliance = app.sign_in_demo(COMPLIANCE).await;
    let broker = app.sign_in_demo(BROKER).await;
    let (from, until) = (day(0), day(100));
    let fields = [
        ("doc_type", "price_list"),
        ("title", "Lista de precios de Hortalizas del Sur"),
        ("supplier", "Hortalizas del Sur S.A."),
        ("tariff_codes", "0703.20, 0709"),
        ("valid_from", from.as_str()),
        ("valid_until", until.as_str()),
    ];
    let bytes = pdf("Lista de precios 2026");
    let added = add(
        &app,
        &compliance,
        &fields,
        Some(("precios.pdf", bytes.clone())),
    )
    .await;
    assert_eq!(location(&added), "/library?added=1");
    let audited = app
        .count("SELECT count(*) FROM audit_log WHERE action = 'library.add'")
        .await;
    assert_eq!(audited, 1);

    // A wrong form names its fields and stores nothing.
    let before = app.count("SELECT count(*) FROM document_blobs").await;
    let wrong = add(
        &app,
        &compliance,
        &[
            ("doc_type", "passport"),
            ("title", ""),
            ("supplier", &"s".repeat(201)),
            ("tariff_codes", "07, 0709"),
            ("valid_from", ""),
        ],
        Some(("x.pdf", pdf("x"))),
    )
    .await;
    assert_eq!(
        location(&wrong),
        "/library?error=doc_type&error=title&error=supplier&error=tariff_codes&error=valid_from#add"
    );
    let backwards = add(
        &app,
        &compliance,
        &[
            ("doc_type", "contract"),
            ("title", "Contrato"),
            ("valid_from", until.as_str()),
            ("valid_until", from.as_str()),
        ],
        None,
    )
    .await;
    assert_eq!(
        location(&backwards),
        "/library?error=valid_until&error=file#add"
    );
    assert_eq!(
        app.count("SELECT count(*) FROM document_blobs").await,
        before
    );
    let refused = add(&app, &broker, &fields, Some(("otra.pdf", pdf("otra")))).await;
    assert_eq!(refused.status(), 403, "a broker never adds to a library");

    // The filters: the demo library holds a price list, a framework contract ending within 30
    // days and an expired letter of authority.
    let all = library(&app, &compliance, "").await;
    assert!(all.can_manage);
    assert_eq!(all.rows.len(), 4);
    assert_eq!(all.rows[0].title, "Lista de precios de Hortalizas del Sur");
    assert_eq!(all.rows[0].tariff_codes, ["070320", "0709"]);
    assert_eq!(all.rows[0].validity, Validity::Valid);
    assert_eq!(all.expiring.len(), 1);
    assert_eq!(all.expiring[0].doc_type, DocType::Contract);
    assert_eq!(all.expired.len(), 1);
    assert_eq!(all.expired[0].doc_type, DocType::BrokerAuthority);
    let price_lists = library(&app, &compliance, "filter[doc_type]=price_list").await;
    assert!(
        price_lists
            .rows
            .iter()
            .all(|r| r.doc_type == DocType::PriceList)
    );
    assert_eq!(price_lists.rows.len(), 2);
    let by_supplier = library(&app, &compliance, "filter[supplier]=hortalizas").await;
    assert_eq!(
        titles(&by_supplier),
        ["Lista de precios de Hortalizas del Sur"]
    );
    // A code is covered by a listed code that is its prefix, or by a document with no codes.
    let laptops = library(&app, &compliance, "filter[code]=8471.30").await;
    assert_eq!(laptops.rows.len(), 1);
    assert_eq!(laptops.rows[0].doc_type, DocType::BrokerAuthority);
    let garlic = library(&app, &compliance, "filter[code]=0703.20.00.00").await;
    assert_eq!(garlic.rows.len(), 4);
    let onions = library(&app, &compliance, "filter[code]=070310").await;
    assert_eq!(
        onions.rows.len(),
        2,
        "the framework contract (0703) and the letter"
    );
    let expired = library(&app, &compliance, "filter[validity]=expired").await;
    assert_eq!(expired.rows.len(), 1);

    // A new version supersedes the old one; both stay listed, and the old is not replaced twice.
    let old = all.rows[0].id.to_string();
    let mut version = fields.to_vec();
    version.push(("supersedes", old.as_str()));
    let added = add(
        &app,
        &compliance,
        &version,
        Some(("precios-v2.pdf", pdf("v2"))),
    )
    .await;
    assert_eq!(location(&added), "/library?added=1");
    let after = library(&app, &compliance, "filter[supplier]=hortalizas").await;
    assert_eq!(after.rows.len(), 2);
    assert_eq!(after.rows[0].supersedes, Some(all.rows[0].id));
    assert_eq!(after.rows[1].superseded_by, Some(after.rows[0].id));
    let twice = add(
        &app,
        &compliance,
        &version,
        Some(("precios-v3.pdf", pdf("v3"))),
    )
    .await;
    assert_eq!(location(&twice), "/library?error=supersedes#add");

    // The file downloads as stored.
    let response = app
        .get_with_cookie(&format!("/library/documents/{old}"), &compliance)
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "private, no-store");
    assert_eq!(response.bytes().await.unwrap().as_ref(), bytes.as_slice());
}

#[tokio::test]
async fn a_library_document_attaches_as_the_same_file_unless_expired_and_brokers_need_a_mandate() {
    let app = TestApp::spawn_configured(|c| c.demo = true).await;
    let admin = app.sign_in_demo(ADMIN).await;
    let broker = app.sign_in_demo(BROKER).await;
    let reference = app.save_garlic_assessment(&admin, "library").await;

    // The assessment offers the valid library documents only.
    let offered = documents_of(&app, &reference, &admin).await;
    let mut types: Vec<DocType> = offered.library.iter().map(|c| c.doc_type).collect();
    types.sort_by_key(|t| t.code());
    assert_eq!(types, [DocType::Contract, DocType::PriceList]);
    let price_list = offered
        .library
        .iter()
        .find(|c| c.doc_type == DocType::PriceList)
        .unwrap()
        .id
        .to_string();
    let (expired_id, expired_blob): (uuid::Uuid, uuid::Uuid) = sqlx::query_as(
        "SELECT id, blob_id FROM library_documents WHERE doc_type = 'broker_authority'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();

    // Attaching reuses the stored file.
    let blobs_before = app.count("SELECT count(*) FROM document_blobs").await;
    let attached = app
        .post_form(
            "/api/attach-library-document",
            Some(&admin),
            &[
                ("reference", &reference),
                ("library_id", &price_list),
                ("description", "Lista de precios del proveedor"),
                ("confidentiality", "normal"),
            ],
        )
        .await;
    assert_eq!(
        location(&attached),
        format!("/assessments/{reference}#documents")
    );
    let (document_blob, library_blob): (uuid::Uuid, uuid::Uuid) = sqlx::query_as(
        "SELECT d.blob_id, l.blob_id FROM documents d JOIN library_documents l ON l.id = d.library_id
         JOIN assessments a ON a.id = d.assessment_id WHERE a.reference = $1",
    )
    .bind(&reference)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(document_blob, library_blob, "no copy");
    assert_eq!(
        app.count("SELECT count(*) FROM document_blobs").await,
        blobs_before
    );
    let listed = documents_of(&app, &reference, &admin).await;
    assert!(listed.documents[0].from_library);
    assert_eq!(
        app.count("SELECT count(*) FROM audit_log WHERE action = 'document.attach_library'")
            .await,
        1
    );

    // The same file twice, and an expired document, are refused on the field.
    let again = app
        .call(
            "/api/attach-library-document",
            Some(&admin),
            &[
                ("reference", &reference),
                ("library_id", &price_list),
                ("description", "Otra vez"),
                ("confidentiality", "normal"),
            ],
        )
        .await;
    assert_eq!(again.status(), 400);
    let expired = app
        .call(
            "/api/attach-library-document",
            Some(&admin),
            &[
                ("reference", &reference),
                ("library_id", &expired_id.to_string()),
                ("description", "Carta poder"),
                ("confidentiality", "normal"),
            ],
        )
        .await;
    assert_eq!(expired.status(), 400);
    let message = expired.text().await.unwrap();
    assert!(
        message.contains("library_id") && message.contains("vencido"),
        "{message}"
    );
    let attached_expired: i64 =
        sqlx::query_scalar("SELECT count(*) FROM documents WHERE blob_id = $1")
            .bind(expired_blob)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(attached_expired, 0);

    // Removing the draft keeps the library's file.
    let id = listed.documents[0].id.to_string();
    let removed = app
        .call(
            "/api/remove-document",
            Some(&admin),
            &[("reference", &reference), ("id", &id)],
        )
        .await;
    assert!(
        removed.status().is_success() || removed.status().is_redirection(),
        "{}",
        removed.status()
    );
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM document_blobs WHERE id = $1")
        .bind(library_blob)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(kept, 1);

    // A broker reads the importer's library only while acting for it under the mandate.
    let not_acting = get_json_as(&app, "/api/library", &broker).await;
    assert_eq!(not_acting.status(), 403);
    let library_file = format!("/library/documents/{price_list}");
    assert_eq!(app.status_with_cookie(&library_file, &broker).await, 404);
    let acted = app.act_for_demo_importer(&broker).await;
    assert!(acted.status().is_redirection());
    let read = library(&app, &broker, "").await;
    assert!(!read.can_manage);
    assert_eq!(read.rows.len(), 3);
    assert_eq!(app.status_with_cookie(&library_file, &broker).await, 200);
    let offered = documents_of(&app, &reference, &broker).await;
    assert_eq!(offered.library.len(), 2);
    sqlx::query("UPDATE mandates SET revoked_at = now()")
        .execute(&app.pool)
        .await
        .unwrap();
    let revoked = get_json_as(&app, "/api/library", &broker).await;
    assert_eq!(revoked.status(), 403);
}
