//! Supporting documents on saved assessments: uploaded with and without JavaScript, refused for
//! a wrong form, a duplicate, too many or too large a file (nothing stored), removed while
//! drafts, submitted to customs (then final in the database), replaced by new versions, read by
//! customs only once submitted and never when confidential, downloaded with safe headers, and
//! reached with API tokens.

use app::features::documents::{AssessmentDocuments, FileAnswer, Receipt};
use reqwest::multipart::{Form, Part};
use sha2::{Digest, Sha256};
use valora_server::demo::documents::pdf;
use valora_tests::{TestApp, location};

pub const ADMIN: &str = "ana.admin@importadora.demo";
pub const COMPLIANCE: &str = "carlos.cumplimiento@importadora.demo";
pub const BROKER: &str = "beto.agente@agencia.demo";
pub const OFFICER: &str = "olga.oficial@sunat.demo";

/// A demo server whose documents are limited to `max_files` an assessment and `max_bytes` a file.
pub async fn demo_with_limits(max_files: u32, max_bytes: u64) -> TestApp {
    TestApp::spawn_configured(|c| {
        c.demo = true;
        c.documents.max_files = max_files;
        c.documents.max_file_bytes = max_bytes;
    })
    .await
}

/// Posts a multipart form from this site: text fields, then the files as `(field, name, bytes)`
/// parts; `json` asks for the JSON answer.
pub async fn post_multipart(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
    fields: &[(&str, &str)],
    files: &[(&str, &str, Vec<u8>)],
    json: bool,
) -> reqwest::Response {
    let mut form = Form::new();
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    for (field, name, bytes) in files {
        form = form.part(
            field.to_string(),
            Part::bytes(bytes.clone()).file_name(name.to_string()),
        );
    }
    let mut request = app
        .client
        .post(app.url(path))
        .header("origin", app.base.origin().ascii_serialization())
        .header(
            "accept",
            if json {
                "application/json"
            } else {
                "text/html"
            },
        )
        .multipart(form);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.expect("multipart POST")
}

/// Uploads `files` (name, bytes) to the assessment as invoices with a normal confidentiality.
async fn upload(
    app: &TestApp,
    reference: &str,
    cookie: &str,
    files: &[(&str, Vec<u8>)],
    json: bool,
) -> reqwest::Response {
    let files: Vec<(&str, &str, Vec<u8>)> = files
        .iter()
        .map(|(name, bytes)| ("files", *name, bytes.clone()))
        .collect();
    post_multipart(
        app,
        &format!("/assessments/{reference}/documents"),
        Some(cookie),
        &[
            ("doc_type", "invoice"),
            ("description", "Factura comercial"),
            ("confidentiality", "normal"),
        ],
        &files,
        json,
    )
    .await
}

/// Uploads `file` (name, bytes) with the JSON answer as a new version of the invoice document
/// `supersedes`, described as `description`.
async fn upload_correction(
    app: &TestApp,
    reference: &str,
    cookie: &str,
    supersedes: &str,
    description: &str,
    (name, bytes): (&str, Vec<u8>),
) -> reqwest::Response {
    post_multipart(
        app,
        &format!("/assessments/{reference}/documents"),
        Some(cookie),
        &[
            ("doc_type", "invoice"),
            ("description", description),
            ("confidentiality", "normal"),
            ("supersedes", supersedes),
        ],
        &[("files", name, bytes)],
        true,
    )
    .await
}

/// GET with a cookie, asking for JSON (as the hydrated page's server-function calls do).
pub async fn get_json_as(app: &TestApp, path: &str, cookie: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header("cookie", cookie)
        .header("accept", "application/json")
        .send()
        .await
        .expect("GET")
}

pub async fn documents_of(app: &TestApp, reference: &str, cookie: &str) -> AssessmentDocuments {
    let response = get_json_as(
        app,
        &format!("/api/assessment-documents?reference={reference}"),
        cookie,
    )
    .await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("documents")
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A small text file with distinct content.
fn note(text: &str) -> Vec<u8> {
    format!("{text}\n").into_bytes()
}

async fn stored_counts(app: &TestApp) -> (i64, i64) {
    app.count_pair("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM document_blobs)")
        .await
}

#[tokio::test]
async fn files_uploaded_without_javascript_are_listed_and_every_refusal_says_why() {
    let app = demo_with_limits(4, 64 * 1024).await;
    let admin = app.sign_in_demo(ADMIN).await;
    let reference = app.save_garlic_assessment(&admin, "uploads").await;

    // Two files in one form post, without JavaScript: a redirect back to the documents.
    let invoice = pdf("Factura 2026-001");
    let response = upload(
        &app,
        &reference,
        &admin,
        &[
            ("factura-001.pdf", invoice.clone()),
            ("anexo.txt", note("Anexo de la factura")),
        ],
        false,
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        location(&response),
        format!("/assessments/{reference}?accepted=2#documents")
    );
    let listed = documents_of(&app, &reference, &admin).await;
    let names: Vec<&str> = listed
        .documents
        .iter()
        .map(|d| d.file_name.as_str())
        .collect();
    assert_eq!(names, ["factura-001.pdf", "anexo.txt"]);
    assert!(listed.trader_side);
    assert_eq!(listed.drafts, 2);
    assert_eq!(listed.limits.max_files, 4);
    assert_eq!(listed.limits.max_file_bytes, 64 * 1024);
    assert_eq!(listed.documents[0].sha256, hex_sha256(&invoice));
    assert_eq!(listed.documents[0].byte_size, invoice.len() as u64);
    let invoice_wanted = listed
        .suggested
        .iter()
        .find(|s| s.doc_type == app::domain::documents::DocType::Invoice)
        .expect("the check asks for the invoice");
    assert!(invoice_wanted.present);
    let transfer_pricing = listed
        .suggested
        .iter()
        .find(|s| s.doc_type == app::domain::documents::DocType::TransferPricing)
        .expect("a related-party sale asks for the transfer-pricing study");
    assert!(!transfer_pricing.present);
    let uploads = app
        .count("SELECT count(*) FROM audit_log WHERE action = 'document.upload'")
        .await;
    assert_eq!(uploads, 2);

    // The page's script sends one file and reads the answer.
    let response = upload(
        &app,
        &reference,
        &admin,
        &[("pago.txt", note("Transferencia bancaria"))],
        true,
    )
    .await;
    assert_eq!(response.status(), 200);
    let answers: Vec<FileAnswer> = response.json().await.unwrap();
    assert_eq!(answers.len(), 1);
    assert!(answers[0].document_id.is_some() && answers[0].refusal.is_none());
    assert!(
        answers[0].message.contains("pago.txt"),
        "{}",
        answers[0].message
    );

    // Each field of a wrong form is named, and nothing is read or stored.
    let before = stored_counts(&app).await;
    let path = format!("/assessments/{reference}/documents");
    let response = post_multipart(
        &app,
        &path,
        Some(&admin),
        &[
            ("doc_type", "passport"),
            ("description", " "),
            ("confidentiality", "secret"),
            ("supersedes", &uuid::Uuid::new_v4().to_string()),
        ],
        &[("files", "", Vec::new())],
        false,
    )
    .await;
    assert_eq!(
        location(&response),
        format!(
            "/assessments/{reference}?error=doc_type&error=description&error=confidentiality\
             &error=supersedes&error=files#upload"
        )
    );
    let too_long = "a".repeat(201);
    let response = post_multipart(
        &app,
        &path,
        Some(&admin),
        &[
            ("doc_type", "contract"),
            ("description", &too_long),
            ("confidentiality", "normal"),
        ],
        &[("files", "contrato.txt", note("contrato"))],
        true,
    )
    .await;
    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["field"], "description");
    assert_eq!(
        body["errors"][0]["message"],
        "La descripción debe tener como máximo 200 caracteres"
    );
    let response = post_multipart(
        &app,
        &path,
        Some(&admin),
        &[
            ("doc_type", "contract"),
            ("description", "Contrato"),
            ("confidentiality", "normal"),
        ],
        &[],
        true,
    )
    .await;
    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["field"], "files");
    assert_eq!(stored_counts(&app).await, before);

    // The same file again is refused, naming the document it repeats; nothing is added.
    let response = upload(
        &app,
        &reference,
        &admin,
        &[("copia.pdf", invoice.clone())],
        false,
    )
    .await;
    assert_eq!(
        location(&response),
        format!(
            "/assessments/{reference}?accepted=0&r=duplicate%7Ccopia.pdf%7Cfactura-001.pdf#documents"
        )
    );
    let response = upload(
        &app,
        &reference,
        &admin,
        &[("copia.pdf", invoice.clone())],
        true,
    )
    .await;
    let answers: Vec<FileAnswer> = response.json().await.unwrap();
    assert_eq!(
        answers[0].refusal,
        Some(app::domain::documents::Refusal::Duplicate)
    );
    assert!(
        answers[0].message.contains("factura-001.pdf"),
        "{}",
        answers[0].message
    );
    assert_eq!(stored_counts(&app).await, before);

    // A file over the limit stops the upload at once: 413, nothing kept.
    let big = vec![b'x'; 64 * 1024 + 1];
    let response = upload(
        &app,
        &reference,
        &admin,
        &[("grande.txt", big.clone())],
        true,
    )
    .await;
    assert_eq!(response.status(), 413);
    let answers: Vec<FileAnswer> = response.json().await.unwrap();
    assert_eq!(
        answers[0].refusal,
        Some(app::domain::documents::Refusal::TooLarge)
    );
    let response = upload(&app, &reference, &admin, &[("grande.txt", big)], false).await;
    assert_eq!(response.status(), 413);
    let page = response.text().await.unwrap();
    assert!(page.contains("El archivo es demasiado grande"), "{page}");
    assert!(page.contains("64 KB"), "the limit is named: {page}");
    assert!(page.contains(&format!("href=\"/assessments/{reference}#documents\"")));
    assert_eq!(stored_counts(&app).await, before);

    // The fourth document fills the assessment; a fifth is refused.
    let response = upload(
        &app,
        &reference,
        &admin,
        &[
            ("cuarto.txt", note("cuarto")),
            ("quinto.txt", note("quinto")),
        ],
        false,
    )
    .await;
    assert_eq!(
        location(&response),
        format!("/assessments/{reference}?accepted=1&r=too_many%7Cquinto.txt%7C#documents")
    );
    assert_eq!(
        stored_counts(&app).await,
        (before.0 + 1, before.1 + 1),
        "the refused file left no stored bytes"
    );
}

#[tokio::test]
async fn drafts_may_be_removed_and_submitted_documents_never_change() {
    let app = TestApp::spawn_configured(|c| c.demo = true).await;
    let admin = app.sign_in_demo(ADMIN).await;
    let reference = app.save_garlic_assessment(&admin, "submission").await;
    let invoice = pdf("Factura 2026-002");
    let contract = note("Contrato de compraventa");
    let response = upload(
        &app,
        &reference,
        &admin,
        &[
            ("factura.pdf", invoice.clone()),
            ("contrato.txt", contract.clone()),
            ("borrador.txt", note("borrador")),
        ],
        true,
    )
    .await;
    let answers: Vec<FileAnswer> = response.json().await.unwrap();
    let ids: Vec<String> = answers
        .iter()
        .map(|a| a.document_id.expect("accepted").to_string())
        .collect();

    // A draft goes, audited.
    let removed = app
        .post_form(
            "/api/remove-document",
            Some(&admin),
            &[("reference", &reference), ("id", &ids[2])],
        )
        .await;
    assert_eq!(
        location(&removed),
        format!("/assessments/{reference}#documents")
    );
    assert_eq!(
        documents_of(&app, &reference, &admin).await.documents.len(),
        2
    );
    let audited = app
        .count("SELECT count(*) FROM audit_log WHERE action = 'document.remove'")
        .await;
    assert_eq!(audited, 1);

    // Submitting needs the declaration, then goes on to the receipt.
    let unconfirmed = app
        .call(
            "/api/submit-documents",
            Some(&admin),
            &[("reference", &reference)],
        )
        .await;
    assert_eq!(unconfirmed.status(), 400);
    assert!(unconfirmed.text().await.unwrap().contains("confirm"));
    let submitted = app
        .post_form(
            "/api/submit-documents",
            Some(&admin),
            &[("reference", &reference), ("confirm", "yes")],
        )
        .await;
    assert_eq!(
        location(&submitted),
        format!("/assessments/{reference}/receipt")
    );
    let again = app
        .call(
            "/api/submit-documents",
            Some(&admin),
            &[("reference", &reference), ("confirm", "yes")],
        )
        .await;
    assert_eq!(again.status(), 400, "nothing left to submit");
    let receipt: Receipt =
        get_json_as(&app, &format!("/api/receipt?reference={reference}"), &admin)
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(receipt.reference, reference);
    let fingerprints: Vec<(&str, &str)> = receipt
        .documents
        .iter()
        .map(|d| (d.file_name.as_str(), d.sha256.as_str()))
        .collect();
    let (invoice_sha, contract_sha) = (hex_sha256(&invoice), hex_sha256(&contract));
    assert_eq!(
        fingerprints,
        [
            ("factura.pdf", invoice_sha.as_str()),
            ("contrato.txt", contract_sha.as_str())
        ]
    );
    assert!(receipt.documents.iter().all(|d| d.submitted_at.is_some()));
    let audited = app
        .count("SELECT count(*) FROM audit_log WHERE action = 'assessment.submit'")
        .await;
    assert_eq!(audited, 1);

    // The database itself keeps submitted documents and their bytes as they are.
    let id: uuid::Uuid = ids[0].parse().unwrap();
    for sql in [
        "UPDATE documents SET description = 'cambiada' WHERE id = $1",
        "DELETE FROM documents WHERE id = $1",
        "UPDATE document_chunks SET data = '\\x00' WHERE blob_id = (SELECT blob_id FROM documents WHERE id = $1)",
        "DELETE FROM document_blobs WHERE id = (SELECT blob_id FROM documents WHERE id = $1)",
    ] {
        let changed = sqlx::query(sql).bind(id).execute(&app.pool).await;
        assert!(changed.is_err(), "{sql} went through");
    }
    let refused = app
        .call(
            "/api/remove-document",
            Some(&admin),
            &[("reference", &reference), ("id", &ids[0])],
        )
        .await;
    assert_eq!(refused.status(), 400);

    // A correction is a new version; both stay listed, linked both ways.
    let corrected = upload_correction(
        &app,
        &reference,
        &admin,
        &ids[0],
        "Factura corregida",
        ("factura-v2.pdf", pdf("Factura 2026-002 corregida")),
    )
    .await;
    assert_eq!(corrected.status(), 200);
    let answers: Vec<FileAnswer> = corrected.json().await.unwrap();
    let new_id = answers[0].document_id.expect("accepted");
    let listed = documents_of(&app, &reference, &admin).await;
    assert_eq!(listed.documents.len(), 3);
    let old = listed.documents.iter().find(|d| d.id == id).unwrap();
    let new = listed.documents.iter().find(|d| d.id == new_id).unwrap();
    assert_eq!(old.superseded_by, Some(new_id));
    assert_eq!(new.supersedes, Some(id));
    assert!(old.submitted_at.is_some() && new.submitted_at.is_none());
    assert_eq!(listed.drafts, 1);
    let twice = upload_correction(
        &app,
        &reference,
        &admin,
        &ids[0],
        "Otra corrección",
        ("factura-v3.pdf", pdf("Factura v3")),
    )
    .await;
    assert_eq!(
        twice.status(),
        422,
        "a replaced version is not replaced again"
    );
}

#[tokio::test]
async fn customs_open_an_assessment_only_once_submitted_and_never_its_confidential_documents() {
    let app = TestApp::spawn_configured(|c| c.demo = true).await;
    let admin = app.sign_in_demo(ADMIN).await;
    let officer = app.sign_in_demo(OFFICER).await;
    let broker = app.sign_in_demo(BROKER).await;
    let reference = app.save_garlic_assessment(&admin, "for customs").await;
    let invoice = pdf("Factura Nº 12");
    let path = format!("/assessments/{reference}/documents");
    let normal = post_multipart(
        &app,
        &path,
        Some(&admin),
        &[
            ("doc_type", "invoice"),
            ("description", "Factura"),
            ("confidentiality", "normal"),
        ],
        &[("files", "Factura Nº 12.pdf", invoice.clone())],
        true,
    )
    .await;
    let normal: Vec<FileAnswer> = normal.json().await.unwrap();
    let normal = normal[0].document_id.unwrap();
    let secret = post_multipart(
        &app,
        &path,
        Some(&admin),
        &[
            ("doc_type", "transfer_pricing"),
            ("description", "Estudio de precios de transferencia"),
            ("confidentiality", "confidential"),
        ],
        &[("files", "estudio.txt", note("Estudio 2025"))],
        true,
    )
    .await;
    let secret: Vec<FileAnswer> = secret.json().await.unwrap();
    let secret = secret[0].document_id.unwrap();

    // Before submission customs find nothing, and a broker not acting for the importer neither.
    let page = format!("/assessments/{reference}");
    assert_eq!(app.status_with_cookie(&page, &officer).await, 404);
    let listing = format!("/api/assessment-documents?reference={reference}");
    assert_eq!(get_json_as(&app, &listing, &officer).await.status(), 404);
    let download = format!("/documents/{normal}");
    assert_eq!(app.status_with_cookie(&download, &officer).await, 404);
    assert_eq!(get_json_as(&app, &listing, &broker).await.status(), 404);
    let upload_by_broker = upload(&app, &reference, &broker, &[("x.txt", note("x"))], true).await;
    assert_eq!(upload_by_broker.status(), 404);

    // The trader downloads with safe headers (not audited: it is their own document).
    let response = app.get_with_cookie(&download, &admin).await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"Factura_N__12.pdf\"; filename*=UTF-8''Factura%20N%C2%BA%2012.pdf"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["cache-control"], "private, no-store");
    assert_eq!(response.bytes().await.unwrap().as_ref(), invoice.as_slice());

    let submitted = app
        .post_form(
            "/api/submit-documents",
            Some(&admin),
            &[("reference", &reference), ("confirm", "yes")],
        )
        .await;
    assert!(submitted.status().is_redirection());

    // Now customs open it by its reference and see the normal document only.
    assert_eq!(app.status_with_cookie(&page, &officer).await, 200);
    let seen: AssessmentDocuments = get_json_as(&app, &listing, &officer)
        .await
        .json()
        .await
        .unwrap();
    assert!(!seen.trader_side);
    assert!(seen.library.is_empty());
    let ids: Vec<uuid::Uuid> = seen.documents.iter().map(|d| d.id).collect();
    assert_eq!(ids, [normal]);
    let response = app.get_with_cookie(&download, &officer).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.bytes().await.unwrap().as_ref(), invoice.as_slice());
    let confidential = format!("/documents/{secret}");
    assert_eq!(app.status_with_cookie(&confidential, &officer).await, 404);
    let (audited, by_officer): (i64, i64) = app
        .count_pair(
            "SELECT (SELECT count(*) FROM audit_log WHERE action = 'document.download'),
                    (SELECT count(*) FROM audit_log l JOIN users u ON u.id = l.actor_id
                     WHERE l.action = 'document.download' AND u.email = 'olga.oficial@sunat.demo')",
        )
        .await;
    assert_eq!((audited, by_officer), (1, 1));
    let receipt = get_json_as(
        &app,
        &format!("/api/receipt?reference={reference}"),
        &officer,
    )
    .await;
    assert_eq!(receipt.status(), 404, "the receipt is the trader's");
}

#[tokio::test]
async fn the_documents_api_works_with_a_token_and_a_brokers_token_only_under_a_mandate() {
    let app = TestApp::spawn_configured(|c| c.demo = true).await;
    let admin = app.sign_in_demo(ADMIN).await;
    let broker_admin = app.sign_in_demo("bruno.admin@agencia.demo").await;
    let reference = app.save_garlic_assessment(&admin, "api").await;
    let token: String = app
        .call_json("/api/create-api-token", Some(&admin), &[("name", "ERP")])
        .await;
    let broker_token: String = app
        .call_json(
            "/api/create-api-token",
            Some(&broker_admin),
            &[("name", "Broker ERP")],
        )
        .await;
    let client = reqwest::Client::new();
    let documents = app.url(&format!("/api/v1/assessments/{reference}/documents"));
    let form = |name: &str, bytes: Vec<u8>| {
        Form::new()
            .text("doc_type", "invoice")
            .text("description", "Factura desde el ERP")
            .text("confidentiality", "normal")
            .part("files", Part::bytes(bytes).file_name(name.to_string()))
    };

    let anonymous = client.get(documents.clone()).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let bytes = pdf("Factura ERP 9");
    let response = client
        .post(documents.clone())
        .bearer_auth(&token)
        .header("accept-language", "en")
        .multipart(form("erp-9.pdf", bytes.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let answers: Vec<FileAnswer> = response.json().await.unwrap();
    let id = answers[0].document_id.expect("accepted");
    assert_eq!(answers[0].message, "erp-9.pdf was uploaded");
    let uploaded_by: String = sqlx::query_scalar(
        "SELECT u.email FROM documents d JOIN users u ON u.id = d.uploaded_by WHERE d.id = $1",
    )
    .bind(id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(uploaded_by, ADMIN, "the token's creator uploaded it");

    let wrong = client
        .post(documents.clone())
        .bearer_auth(&token)
        .multipart(Form::new().text("doc_type", "invoice"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 422);

    let listed: Vec<serde_json::Value> = client
        .get(documents.clone())
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], id.to_string());
    assert_eq!(listed[0]["sha256"], hex_sha256(&bytes));
    let file = client
        .get(app.url(&format!("/api/v1/assessments/{reference}/documents/{id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["content-type"], "application/pdf");
    assert_eq!(file.bytes().await.unwrap().as_ref(), bytes.as_slice());
    let elsewhere = client
        .get(app.url(&format!(
            "/api/v1/assessments/VAL-2222-2222-2222/documents/{id}"
        )))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.status(), 404);

    // The broker's token reaches the importer's assessment while the mandate is in force.
    let by_broker = client
        .get(documents.clone())
        .bearer_auth(&broker_token)
        .send()
        .await
        .unwrap();
    assert_eq!(by_broker.status(), 200);
    sqlx::query("UPDATE mandates SET revoked_at = now()")
        .execute(&app.pool)
        .await
        .unwrap();
    let by_broker = client
        .get(documents.clone())
        .bearer_auth(&broker_token)
        .send()
        .await
        .unwrap();
    assert_eq!(by_broker.status(), 404);
    let by_broker = client
        .post(documents)
        .bearer_auth(&broker_token)
        .multipart(form("otra.txt", note("otra")))
        .send()
        .await
        .unwrap();
    assert_eq!(by_broker.status(), 404);
    let spec: serde_json::Value = client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(spec["paths"]["/api/v1/assessments/{reference}/documents"]["post"].is_object());
}
