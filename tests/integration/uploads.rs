//! The upload pipeline with its real parts: files streamed into PostgreSQL in 1 MiB chunks,
//! fingerprinted, inspected and scanned by a real clamd; whatever is refused or fails leaves no
//! row behind, and housekeeping purges what a cut-off upload or a forgotten draft leaves.

use std::io::{Cursor, Write};

use app::domain::documents::{FileFormat, Refusal};
use app::server::settings::DocumentSettings;
use app::server::uploads::{CHUNK_BYTES, ReceiveError, Received, receive};
use app::server::{blobs, housekeeping};
use bytes::Bytes;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;
use valora_tests::clamd::eicar;
use valora_tests::{Clamd, IMPORTER, TestApp, count};

const MIB: usize = 1024 * 1024;

/// A server's database and an importer that owns the uploads.
async fn database() -> (TestApp, Uuid) {
    let app = TestApp::spawn().await;
    let (kind, name, ruc) = IMPORTER;
    let owner = app::features::accounts::service::ensure_organisation(&app.pool, kind, name, ruc)
        .await
        .expect("organisation");
    (app, owner)
}

/// `bytes` as a request body arrives: in pieces of `piece` bytes.
fn body(
    bytes: &[u8],
    piece: usize,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Unpin {
    let pieces: Vec<Result<Bytes, std::io::Error>> = bytes
        .chunks(piece.max(1))
        .map(|p| Ok(Bytes::copy_from_slice(p)))
        .collect();
    futures_util::stream::iter(pieces)
}

async fn upload(
    pool: &PgPool,
    settings: &DocumentSettings,
    owner: Uuid,
    name: &str,
    bytes: &[u8],
) -> Result<Received, ReceiveError> {
    receive(pool, settings, owner, name, body(bytes, 64 * 1024)).await
}

async fn stored_rows(pool: &PgPool) -> (i64, i64) {
    (
        count(pool, "SELECT count(*) FROM document_blobs").await,
        count(pool, "SELECT count(*) FROM document_chunks").await,
    )
}

/// Bytes that do not compress (as in a photo), the same on every run.
fn noise(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 32) as u8
        })
        .collect()
}

/// A well-formed PDF of exactly `size` bytes (one stream of filler); `trailer_extra` is written
/// into its trailer dictionary.
fn pdf(size: usize, trailer_extra: &str) -> Vec<u8> {
    let start = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n2 0 obj\n<< >>\nstream\n";
    let end = format!(
        "\nendstream\nendobj\ntrailer\n<< /Size 3 /Root 1 0 R {trailer_extra}>>\nstartxref\n0\n%%EOF\n"
    );
    let filler = size - start.len() - end.len();
    let mut bytes = start.to_vec();
    bytes.extend(noise(filler));
    bytes.extend_from_slice(end.as_bytes());
    assert_eq!(bytes.len(), size);
    bytes
}

/// A `.docx` with the parts Word writes first, then `extra` parts; `stored` keeps them
/// uncompressed.
fn docx(extra: &[(String, Vec<u8>)], stored: bool) -> Vec<u8> {
    use zip::CompressionMethod;
    use zip::write::SimpleFileOptions;
    let method = if stored {
        CompressionMethod::Stored
    } else {
        CompressionMethod::Deflated
    };
    let options = SimpleFileOptions::default().compression_method(method);
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let parts: [(&str, &[u8]); 3] = [
        (
            "[Content_Types].xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#,
        ),
        (
            "_rels/.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>"#,
        ),
        ("word/document.xml", b"<w:document><w:body/></w:document>"),
    ];
    for (name, content) in parts {
        writer.start_file(name, options).unwrap();
        writer.write_all(content).unwrap();
    }
    for (name, content) in extra {
        writer.start_file(name.as_str(), options).unwrap();
        writer.write_all(content).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// Sets the "encrypted" flag of every entry of a zip, in its local and central headers.
fn flag_encrypted(mut bytes: Vec<u8>) -> Vec<u8> {
    for at in 0..bytes.len() - 10 {
        match &bytes[at..at + 4] {
            b"PK\x03\x04" => bytes[at + 6] |= 1,
            b"PK\x01\x02" => bytes[at + 8] |= 1,
            _ => {}
        }
    }
    bytes
}

fn refusal(result: Result<Received, ReceiveError>) -> Refusal {
    match result {
        Err(ReceiveError::Refused(refusal)) => refusal,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn the_eicar_test_file_is_refused_as_a_virus_and_nothing_of_it_stays() {
    let (app, owner) = database().await;
    let clamd = Clamd::get().await;
    let result = upload(&app.pool, &clamd.settings(), owner, "eicar.txt", &eicar()).await;
    assert_eq!(refusal(result), Refusal::Virus, "{}", clamd.log());
    assert_eq!(stored_rows(&app.pool).await, (0, 0));
}

#[tokio::test]
async fn a_clean_pdf_is_stored_in_mebibyte_chunks_with_its_sha256_and_counts_once_completed() {
    let (app, owner) = database().await;
    let clamd = Clamd::get().await;
    let bytes = pdf(5 * MIB / 2, "");
    // Pieces that do not divide a chunk, as a network delivers them.
    let received = receive(
        &app.pool,
        &clamd.settings(),
        owner,
        "C:\\Documentos\\factura 0042.PDF",
        body(&bytes, 100_003),
    )
    .await
    .expect("accepted");
    assert_eq!(
        received.sha256,
        format!("{:x}", Sha256::digest(&bytes)),
        "the SHA-256 of the bytes sent"
    );
    assert_eq!(received.byte_size, bytes.len() as u64);
    assert_eq!(received.format, FileFormat::Pdf);
    assert!(received.scanned);

    let sizes: Vec<i32> = sqlx::query_scalar(
        "SELECT length(data) FROM document_chunks WHERE blob_id = $1 ORDER BY seq",
    )
    .bind(received.blob_id)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let chunk = CHUNK_BYTES as i32;
    assert_eq!(sizes, [chunk, chunk, chunk / 2]);

    // Stored but not yet a file anyone can see.
    let complete: bool = sqlx::query_scalar("SELECT complete FROM document_blobs WHERE id = $1")
        .bind(received.blob_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(!complete);
    assert_eq!(
        blobs::stored(&app.pool, received.blob_id).await.unwrap(),
        None
    );

    let mut tx = app.pool.begin().await.unwrap();
    blobs::complete(&mut tx, &received).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        blobs::stored(&app.pool, received.blob_id).await.unwrap(),
        Some(blobs::StoredFile {
            byte_size: bytes.len() as u64,
            content_type: "application/pdf".into()
        })
    );
    let (sha256, scan): (String, String) =
        sqlx::query_as("SELECT sha256, scan FROM document_blobs WHERE id = $1")
            .bind(received.blob_id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((sha256, scan.as_str()), (received.sha256.clone(), "clean"));

    // Read back a chunk at a time: the same bytes.
    let mut read = Vec::new();
    let mut chunks = Box::pin(blobs::chunks(app.pool.clone(), received.blob_id));
    while let Some(piece) = chunks.next().await {
        read.extend_from_slice(&piece.unwrap());
    }
    assert!(read == bytes, "the stored bytes are the uploaded bytes");

    // Completing twice is refused (the blob is already complete).
    let mut tx = app.pool.begin().await.unwrap();
    assert!(blobs::complete(&mut tx, &received).await.is_err());
}

#[tokio::test]
async fn every_refusal_leaves_no_stored_row() {
    let (app, owner) = database().await;
    let clamd = Clamd::get().await;
    let scanned = clamd.settings();
    let small_limit = DocumentSettings {
        max_file_bytes: MIB as u64,
        ..clamd.settings()
    };
    let few_entries = DocumentSettings {
        max_archive_entries: 50,
        ..clamd.settings()
    };
    let little_unpacked = DocumentSettings {
        max_unpacked_bytes: MIB as u64,
        ..clamd.settings()
    };
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0".to_vec();
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend(vec![0u8; 4096]);
    let mut truncated = pdf(200_000, "");
    truncated.truncate(150_000);
    let sixty: Vec<(String, Vec<u8>)> = (0..60)
        .map(|i| (format!("word/media/image{i}.png"), noise(100)))
        .collect();
    let big_part = vec![("word/media/scan.png".to_string(), noise(2 * MIB))];

    let cases: Vec<(&str, &str, Vec<u8>, &DocumentSettings, Refusal)> = vec![
        ("empty", "vacío.pdf", Vec::new(), &scanned, Refusal::Empty),
        (
            "one byte over the limit",
            "grande.pdf",
            pdf(MIB + 1, ""),
            &small_limit,
            Refusal::TooLarge,
        ),
        (
            "a program",
            "setup.exe",
            b"MZ\x90\0\x03\0\0\0".to_vec(),
            &scanned,
            Refusal::TypeNotAllowed,
        ),
        (
            "a program named as a PDF",
            "factura.pdf",
            b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xFF\xFF\0\0".to_vec(),
            &scanned,
            Refusal::TypeNotAllowed,
        ),
        (
            "an image named as a PDF",
            "factura.pdf",
            png,
            &scanned,
            Refusal::ExtensionMismatch,
        ),
        (
            "a password-protected PDF",
            "protegido.pdf",
            pdf(300_000, "/Encrypt 9 0 R "),
            &scanned,
            Refusal::Protected,
        ),
        (
            "a PDF cut short",
            "cortado.pdf",
            truncated,
            &scanned,
            Refusal::Unreadable,
        ),
        (
            "a password-protected Word file (an OLE compound file)",
            "contrato.docx",
            ole,
            &scanned,
            Refusal::Protected,
        ),
        (
            "a Word file with encrypted entries",
            "contrato.docx",
            flag_encrypted(docx(&[], false)),
            &scanned,
            Refusal::Protected,
        ),
        (
            "a zip bomb by entry count",
            "muchas-partes.docx",
            docx(&sixty, false),
            &few_entries,
            Refusal::ArchiveBounds,
        ),
        (
            "a zip bomb by unpacked size",
            "grande.docx",
            docx(&big_part, true),
            &little_unpacked,
            Refusal::ArchiveBounds,
        ),
        (
            "a zip bomb by compression ratio",
            "ceros.docx",
            docx(
                &[("word/media/zeros.bin".to_string(), vec![0; 8 * MIB])],
                false,
            ),
            &scanned,
            Refusal::ArchiveBounds,
        ),
        (
            "no usable name",
            "docs/..",
            pdf(1000, ""),
            &scanned,
            Refusal::NoName,
        ),
    ];
    for (case, name, bytes, settings, expected) in cases {
        let result = upload(&app.pool, settings, owner, name, &bytes).await;
        assert_eq!(refusal(result), expected, "{case}");
        assert_eq!(stored_rows(&app.pool).await, (0, 0), "{case} leaves no row");
    }

    // The limit itself is allowed.
    let at_limit = upload(&app.pool, &small_limit, owner, "justo.pdf", &pdf(MIB, "")).await;
    assert_eq!(at_limit.expect("accepted").byte_size, MIB as u64);
}

#[tokio::test]
async fn a_body_that_fails_midway_leaves_no_stored_row() {
    let (app, owner) = database().await;
    let clamd = Clamd::get().await;
    let bytes = pdf(3 * MIB, "");
    let pieces: Vec<Result<Bytes, std::io::Error>> = bytes[..5 * MIB / 2]
        .chunks(256 * 1024)
        .map(|p| Ok(Bytes::copy_from_slice(p)))
        .chain([Err(std::io::Error::other("connection reset by peer"))])
        .collect();
    let result = receive(
        &app.pool,
        &clamd.settings(),
        owner,
        "factura.pdf",
        futures_util::stream::iter(pieces),
    )
    .await;
    assert!(matches!(result, Err(ReceiveError::Failed(_))), "{result:?}");
    assert_eq!(stored_rows(&app.pool).await, (0, 0));
}

#[tokio::test]
async fn without_a_scanner_files_are_accepted_as_not_scanned_and_an_unreachable_one_fails_closed() {
    let (app, owner) = database().await;
    let bytes = pdf(10_000, "");
    let unscanned = DocumentSettings::default();
    let received = upload(&app.pool, &unscanned, owner, "factura.pdf", &bytes)
        .await
        .expect("accepted");
    assert!(!received.scanned);
    let mut tx = app.pool.begin().await.unwrap();
    blobs::complete(&mut tx, &received).await.unwrap();
    tx.commit().await.unwrap();
    let scan: String = sqlx::query_scalar("SELECT scan FROM document_blobs WHERE id = $1")
        .bind(received.blob_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(scan, "not_scanned");

    let gone = DocumentSettings {
        clamd: Some("unix:/nonexistent/clamd.ctl".into()),
        ..Default::default()
    };
    let result = upload(&app.pool, &gone, owner, "otra.pdf", &pdf(10_001, "")).await;
    assert!(matches!(result, Err(ReceiveError::Failed(_))), "{result:?}");
    assert_eq!(stored_rows(&app.pool).await, (1, 1), "only the first file");
}

/// A trader of the demo importer with a saved assessment: (cookie, reference).
async fn saved_assessment(app: &TestApp) -> (String, String) {
    let cookie = app.sign_in_demo("ana.admin@importadora.demo").await;
    let reference = app.save_garlic_assessment(&cookie, "INV-2026-0042").await;
    (cookie, reference)
}

/// Inserts a document for a completed upload, uploaded `days_ago`, submitted or not.
async fn document(
    pool: &PgPool,
    reference: &str,
    received: &Received,
    days_ago: i32,
    submitted: bool,
) -> Uuid {
    let (assessment, org, user): (Uuid, Uuid, Uuid) = sqlx::query_as(
        "SELECT a.id, a.owner_id, a.created_by FROM assessments a WHERE a.reference = $1",
    )
    .bind(reference)
    .fetch_one(pool)
    .await
    .unwrap();
    let mut tx = pool.begin().await.unwrap();
    blobs::complete(&mut tx, received).await.unwrap();
    let submission: Option<Uuid> = if submitted {
        let id = Uuid::new_v4();
        sqlx::query(
            "INSERT INTO assessment_submissions (id, assessment_id, submitted_by) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(assessment)
        .bind(user)
        .execute(&mut *tx)
        .await
        .unwrap();
        Some(id)
    } else {
        None
    };
    let id = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO documents (id, assessment_id, blob_id, doc_type, description, file_name, sha256,
                                uploaded_by, uploaded_by_org, uploaded_at, submission_id)
         VALUES ($1, $2, $3, 'invoice', 'Factura comercial', 'factura.pdf', $4, $5, $6,
                 now() - make_interval(days => $7), $8)",
    )
    .bind(id)
    .bind(assessment)
    .bind(received.blob_id)
    .bind(&received.sha256)
    .bind(user)
    .bind(org)
    .bind(days_ago)
    .bind(submission)
    .execute(&mut *tx)
    .await
    .unwrap();
    // The file was stored when the document was.
    sqlx::query(
        "UPDATE document_blobs SET created_at = now() - make_interval(days => $2) WHERE id = $1",
    )
    .bind(received.blob_id)
    .bind(days_ago)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

fn settings_of(app: &TestApp) -> app::server::settings::Settings {
    valora_server::settings(
        &valora_server::config::Config::from_lookup(|_| None).unwrap(),
        &app.base,
    )
}

#[tokio::test]
async fn housekeeping_purges_cut_off_uploads_and_old_drafts_but_never_a_submitted_document() {
    let app = TestApp::spawn_configured(|c| c.demo = true).await;
    let (_, reference) = saved_assessment(&app).await;
    let owner: Uuid = sqlx::query_scalar("SELECT owner_id FROM assessments WHERE reference = $1")
        .bind(&reference)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let plain = DocumentSettings::default();
    let mut files = Vec::new();
    for i in 0..5 {
        let received = upload(&app.pool, &plain, owner, "f.pdf", &pdf(2 * MIB + i, ""))
            .await
            .unwrap();
        files.push(received);
    }
    let [cut_off, in_progress, old_draft, old_submitted, recent_draft] =
        <[Received; 5]>::try_from(files).unwrap();
    // An upload cut off two hours ago, and one still arriving.
    sqlx::query("UPDATE document_blobs SET created_at = now() - interval '2 hours' WHERE id = $1")
        .bind(cut_off.blob_id)
        .execute(&app.pool)
        .await
        .unwrap();
    let draft_days = plain.draft_days as i32;
    let old_draft_id = document(&app.pool, &reference, &old_draft, draft_days + 1, false).await;
    let submitted_id = document(&app.pool, &reference, &old_submitted, draft_days + 30, true).await;
    let recent_id = document(&app.pool, &reference, &recent_draft, 1, false).await;

    let cleaned = housekeeping::run_once(&app.pool, &settings_of(&app))
        .await
        .unwrap();
    // The demo data may hold documents of its own: count only these five files.
    assert!(
        cleaned.incomplete_blobs >= 1 && cleaned.drafts >= 1 && cleaned.unattached_blobs >= 1,
        "{cleaned:?}"
    );
    let mine = [
        &cut_off,
        &in_progress,
        &old_draft,
        &old_submitted,
        &recent_draft,
    ];
    let mut left = Vec::new();
    for received in mine {
        let blob: i64 = sqlx::query_scalar("SELECT count(*) FROM document_blobs WHERE id = $1")
            .bind(received.blob_id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        let chunks: i64 =
            sqlx::query_scalar("SELECT count(*) FROM document_chunks WHERE blob_id = $1")
                .bind(received.blob_id)
                .fetch_one(&app.pool)
                .await
                .unwrap();
        left.push((blob, chunks));
    }
    assert_eq!(
        left,
        [(0, 0), (1, 3), (0, 0), (1, 3), (1, 3)],
        "cut off, in progress, old draft, old submitted, recent draft"
    );
    let documents_left: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM documents")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert!(!documents_left.contains(&old_draft_id));
    assert!(documents_left.contains(&submitted_id) && documents_left.contains(&recent_id));

    // Run again: nothing more to do.
    let again = housekeeping::run_once(&app.pool, &settings_of(&app))
        .await
        .unwrap();
    assert_eq!(
        (again.incomplete_blobs, again.drafts, again.unattached_blobs),
        (0, 0, 0)
    );
}

/// A valid upload form: only the file decides the answer.
const FORM: [(&str, &str); 3] = [
    ("doc_type", "invoice"),
    ("description", "Factura comercial"),
    ("confidentiality", "normal"),
];

/// Waits (up to 20 s) for an incomplete blob holding at least `chunks` chunk rows; its id.
async fn incomplete_blob_with(pool: &PgPool, chunks: i64) -> Uuid {
    for _ in 0..400 {
        let found: Option<Uuid> = sqlx::query_scalar(
            "SELECT b.id FROM document_blobs b
             WHERE NOT b.complete
               AND (SELECT count(*) FROM document_chunks c WHERE c.blob_id = b.id) >= $1",
        )
        .bind(chunks)
        .fetch_optional(pool)
        .await
        .unwrap();
        if let Some(id) = found {
            return id;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no upload in progress reached {chunks} chunks");
}

async fn documents_of(pool: &PgPool, reference: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM documents d JOIN assessments a ON a.id = d.assessment_id
         WHERE a.reference = $1",
    )
    .bind(reference)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn blob_rows(pool: &PgPool, blob: Uuid) -> (i64, i64) {
    let blobs: i64 = sqlx::query_scalar("SELECT count(*) FROM document_blobs WHERE id = $1")
        .bind(blob)
        .fetch_one(pool)
        .await
        .unwrap();
    let chunks: i64 = sqlx::query_scalar("SELECT count(*) FROM document_chunks WHERE blob_id = $1")
        .bind(blob)
        .fetch_one(pool)
        .await
        .unwrap();
    (blobs, chunks)
}

#[tokio::test]
async fn a_server_killed_mid_upload_leaves_no_document_and_housekeeping_purges_what_it_stored() {
    use valora_tests::multipart::RawUpload;
    use valora_tests::process::start_server_process;
    let url = valora_tests::fresh_database_url().await;
    let mut config = valora_tests::test_config(Some(url.clone()), &std::env::temp_dir());
    config.demo = true;
    let app = TestApp::start(config, |r| r).await;
    let (cookie, reference) = saved_assessment(&app).await;
    // The upload goes to another server process on the same database, killed midway.
    let server = start_server_process(&url, "smtp://127.0.0.1:9");
    let bytes = pdf(6 * MIB, "");
    let path = format!("/assessments/{reference}/documents");
    let mut upload = RawUpload::start(
        &server.base,
        &path,
        &cookie,
        "application/json",
        &FORM,
        "factura.pdf",
        bytes.len(),
    )
    .await;
    upload.send(&bytes[..3 * MIB]).await;
    let blob = incomplete_blob_with(&app.pool, 2).await;
    let killed = std::process::Command::new("kill")
        .args(["-KILL", &server.pid().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    upload.abandon();

    assert_eq!(
        documents_of(&app.pool, &reference).await,
        0,
        "nothing visible"
    );
    let (blobs, chunks) = blob_rows(&app.pool, blob).await;
    assert_eq!(blobs, 1, "the cut-off upload's blob is left, incomplete");
    assert!(chunks >= 2);
    // An hour later, housekeeping removes it.
    sqlx::query(
        "UPDATE document_blobs SET created_at = now() - interval '61 minutes' WHERE id = $1",
    )
    .bind(blob)
    .execute(&app.pool)
    .await
    .unwrap();
    let cleaned = housekeeping::run_once(&app.pool, &settings_of(&app))
        .await
        .unwrap();
    assert!(cleaned.incomplete_blobs >= 1, "{cleaned:?}");
    assert_eq!(blob_rows(&app.pool, blob).await, (0, 0));
    assert_eq!(documents_of(&app.pool, &reference).await, 0);
}

#[tokio::test]
async fn a_client_that_goes_away_mid_upload_leaves_no_document_and_no_blob() {
    use valora_tests::multipart::RawUpload;
    let app = TestApp::spawn_configured(|c| c.demo = true).await;
    let (cookie, reference) = saved_assessment(&app).await;
    let base = app.base.as_str().trim_end_matches('/').to_string();
    let path = format!("/assessments/{reference}/documents");
    let bytes = pdf(6 * MIB, "");
    let mut upload = RawUpload::start(
        &base,
        &path,
        &cookie,
        "application/json",
        &FORM,
        "factura.pdf",
        bytes.len(),
    )
    .await;
    upload.send(&bytes[..3 * MIB]).await;
    let blob = incomplete_blob_with(&app.pool, 2).await;
    upload.abandon();

    let mut rows = blob_rows(&app.pool, blob).await;
    for _ in 0..200 {
        if rows == (0, 0) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        rows = blob_rows(&app.pool, blob).await;
    }
    assert_eq!(
        rows,
        (0, 0),
        "the unfinished upload's rows are deleted at once"
    );
    assert_eq!(documents_of(&app.pool, &reference).await, 0);

    // The same upload sent whole is accepted: the route and the form were right.
    let mut upload = RawUpload::start(
        &base,
        &path,
        &cookie,
        "application/json",
        &FORM,
        "factura.pdf",
        bytes.len(),
    )
    .await;
    upload.send(&bytes).await;
    let (status, answer) = upload.finish().await;
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains("\"document_id\":\""), "{answer}");
    assert_eq!(documents_of(&app.pool, &reference).await, 1);
}
