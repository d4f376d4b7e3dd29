//! Document upload benchmark (not a test): the built server binary as its own process, scanning
//! with a real clamd, on a fresh database with the demo data. Prints (a) the throughput of one
//! 20 MiB upload through `POST /assessments/{reference}/documents` on loopback (goal: at least
//! 100 MB/s), (b) the throughput of downloading it again through `GET /documents/{id}`, and
//! (c) the server process's peak resident memory (`VmHWM`) once 50 clients have uploaded a
//! 20 MiB file each at the same time (goal: at most 256 MB).
//! Run: `cargo build --release -p valora-server`, then
//! `VALORA_SERVER_BIN=<target>/release/valora-server cargo bench -p valora-tests --bench uploads`
//! (a debug server binary works too, at debug speed).

use std::sync::Arc;
use std::time::{Duration, Instant};

use valora_tests::multipart::RawUpload;
use valora_tests::process::{ServerProcess, no_redirect_client, start_server_process_with};
use valora_tests::{Clamd, TestApp, fresh_database_url, test_config};

const MIB: usize = 1024 * 1024;
const FILE_BYTES: usize = 20 * MIB;
const CONCURRENT: usize = 50;
/// How much each client writes at a time.
const WRITE_BYTES: usize = 256 * 1024;

const FORM: [(&str, &str); 3] = [
    ("doc_type", "invoice"),
    ("description", "Factura comercial"),
    ("confidentiality", "normal"),
];

/// The shared middle of every PDF sent (bytes that do not compress), and its start.
struct Pdf {
    start: Vec<u8>,
    filler: Vec<u8>,
}

impl Pdf {
    fn new() -> Pdf {
        let start =
            b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n2 0 obj\n<< >>\nstream\n".to_vec();
        let end_len = Pdf::end(0).len();
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let filler = (0..FILE_BYTES - start.len() - end_len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 32) as u8
            })
            .collect();
        Pdf { start, filler }
    }

    /// The end of the `n`-th file: its own identifier, so that no two files are the same.
    fn end(n: usize) -> Vec<u8> {
        format!(
            "\nendstream\nendobj\ntrailer\n<< /Size 3 /Root 1 0 R /ID [({n:08})({n:08})] >>\nstartxref\n0\n%%EOF\n"
        )
        .into_bytes()
    }

    /// Uploads the `n`-th file; returns the answer's status and body, and the time it took.
    async fn upload(
        &self,
        server: &str,
        path: &str,
        cookie: &str,
        n: usize,
    ) -> (u16, String, Duration) {
        let started = Instant::now();
        let end = Pdf::end(n);
        let mut upload = RawUpload::start(
            server,
            path,
            cookie,
            "application/json",
            &FORM,
            &format!("factura-{n}.pdf"),
            FILE_BYTES,
        )
        .await;
        let pieces = std::iter::once(&self.start[..])
            .chain(self.filler.chunks(WRITE_BYTES))
            .chain(std::iter::once(&end[..]));
        for piece in pieces {
            if let Err(e) = upload.try_send(piece).await {
                // The server stopped reading: what did it say?
                let (status, body) = upload.answer().await;
                return (status, format!("{body} (sending: {e})"), started.elapsed());
            }
        }
        let (status, body) = upload.finish().await;
        (status, body, started.elapsed())
    }
}

fn mb_per_s(bytes: usize, took: Duration) -> f64 {
    bytes as f64 / 1e6 / took.as_secs_f64()
}

/// A line of `/proc/<pid>/status` in MB (`VmHWM`: the peak resident set, `VmRSS`: now).
fn memory_mb(server: &ServerProcess, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.pid())).unwrap();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc status"));
    kb * 1024.0 / 1e6
}

/// Signs in the demo trader and saves an assessment through a short-lived in-process server on
/// `url`; returns the session cookie and the assessment's reference.
async fn saved_assessment(url: &str) -> (String, String) {
    let mut config = test_config(Some(url.to_string()), &std::env::temp_dir());
    config.demo = true;
    let app = TestApp::start(config, |r| r).await;
    let cookie = app.sign_in_demo("ana.admin@importadora.demo").await;
    let reference = app.save_garlic_assessment(&cookie, "BENCH").await;
    app.server.shutdown().await;
    (cookie, reference)
}

#[tokio::main]
async fn main() {
    let clamd = Clamd::get().await;
    let url = fresh_database_url().await;
    let (cookie, reference) = saved_assessment(&url).await;
    // Room for every file on the one assessment; the pool at its default size.
    let max_files = (CONCURRENT + 10).to_string();
    let server = start_server_process_with(
        &url,
        "smtp://127.0.0.1:9",
        &[
            ("VALORA_CLAMD", clamd.address.as_str()),
            ("VALORA_DOCUMENT_MAX_FILES", max_files.as_str()),
            ("VALORA_DB_MAX_CONNECTIONS", "10"),
        ],
    );
    let path = format!("/assessments/{reference}/documents");
    let pdf = Arc::new(Pdf::new());
    println!(
        "server binary: {}",
        valora_tests::process::server_binary().display()
    );

    // (a) One upload at a time, scanned, and without a scanner for comparison (clamd reads the
    // whole stream before it scans, so its scan adds to every upload's time).
    let unscanned = start_server_process_with(
        &url,
        "smtp://127.0.0.1:9",
        &[
            ("VALORA_DOCUMENT_MAX_FILES", max_files.as_str()),
            ("VALORA_DB_MAX_CONNECTIONS", "10"),
        ],
    );
    let mut document = String::new();
    for (label, base, first) in [
        ("not scanned", &unscanned.base, 0),
        ("scanned by clamd", &server.base, 10),
    ] {
        let mut runs = Vec::new();
        for n in first..first + 3 {
            let (status, body, took) = pdf.upload(base, &path, &cookie, n).await;
            assert_eq!(status, 200, "{body}");
            let answers: serde_json::Value = serde_json::from_str(&body).expect("JSON answer");
            document = answers[0]["document_id"]
                .as_str()
                .unwrap_or_else(|| panic!("not accepted: {body}"))
                .to_string();
            runs.push(took);
        }
        runs.sort();
        println!(
            "upload of one 20 MiB PDF ({label}), 1 client: median {:.0} MB/s ({:.0} ms; best {:.0} MB/s; goal >= 100 MB/s)",
            mb_per_s(FILE_BYTES, runs[1]),
            runs[1].as_secs_f64() * 1e3,
            mb_per_s(FILE_BYTES, runs[0]),
        );
    }
    drop(unscanned);

    // (b) Downloading it again.
    let client = no_redirect_client();
    let mut downloads = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let mut response = client
            .get(format!("{}/documents/{document}", server.base))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let mut received = 0;
        while let Some(piece) = response.chunk().await.unwrap() {
            received += piece.len();
        }
        assert_eq!(received, FILE_BYTES);
        downloads.push(started.elapsed());
    }
    downloads.sort();
    println!(
        "download of the 20 MiB PDF, 1 client: median {:.0} MB/s ({:.0} ms)",
        mb_per_s(FILE_BYTES, downloads[1]),
        downloads[1].as_secs_f64() * 1e3,
    );

    // (c) Many at once: the server's memory stays bounded.
    let before = memory_mb(&server, "VmRSS:");
    let started = Instant::now();
    let results = futures_util::future::join_all((0..CONCURRENT).map(|i| {
        let (pdf, base, path, cookie) = (
            pdf.clone(),
            server.base.clone(),
            path.clone(),
            cookie.clone(),
        );
        async move { pdf.upload(&base, &path, &cookie, 100 + i).await }
    }))
    .await;
    let took = started.elapsed();
    let accepted = results
        .iter()
        .filter(|(status, body, _)| *status == 200 && body.contains("\"document_id\":\""))
        .count();
    assert_eq!(
        accepted,
        CONCURRENT,
        "every upload accepted: {:?}",
        results
            .iter()
            .map(|r| (&r.0, &r.1))
            .find(|r| *r.0 != 200 || !r.1.contains("document_id"))
    );
    println!(
        "{CONCURRENT} concurrent 20 MiB uploads (scanned): {:.1} s, {:.0} MB/s in all; server RSS before {before:.0} MB, peak (VmHWM) {:.0} MB (goal <= 256 MB)",
        took.as_secs_f64(),
        mb_per_s(FILE_BYTES * CONCURRENT, took),
        memory_mb(&server, "VmHWM:"),
    );
    drop(server);
}
