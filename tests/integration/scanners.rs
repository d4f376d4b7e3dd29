//! The public API scanned by schemathesis (PyPI; `scripts/setup --test` installs the pinned
//! version into `tests/scan/.venv`): every operation of `/api/v1/openapi.json` is run with
//! generated input, valid and not, against a demo server with a real token and a real saved
//! assessment, and no answer may be a server error or stray from the schema (status code,
//! content type, headers, body).

use std::process::Command;

use valora_tests::{TestApp, workspace_root};

/// What the scan checks: no 5xx, and every response as the schema describes it.
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
                      response_headers_conformance,response_schema_conformance";

#[tokio::test]
async fn schemathesis_finds_no_server_error_and_no_response_off_the_schema() {
    let tool = workspace_root().join("tests/scan/.venv/bin/schemathesis");
    assert!(
        tool.is_file(),
        "{} is missing: run scripts/setup --test",
        tool.display()
    );
    let app = TestApp::spawn_configured(|c| c.demo = true).await;
    let admin = app.sign_in_demo("ana.admin@importadora.demo").await;
    let token: String = app
        .call_json("/api/create-api-token", Some(&admin), &[("name", "scan")])
        .await;
    let reference = app.save_garlic_assessment(&admin, "scan").await;
    let dir = tempfile::tempdir().unwrap();
    // Real values for the path parameters, so the documents operations reach their work.
    let config = dir.path().join("schemathesis.toml");
    std::fs::write(
        &config,
        format!("[parameters]\n\"path.reference\" = \"{reference}\"\n"),
    )
    .unwrap();
    let report = dir.path().join("report.json");
    let schema = app.url("/api/v1/openapi.json").to_string();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(tool)
            .arg("--config-file")
            .arg(&config)
            .args(["run", &schema, "--checks", CHECKS, "--workers", "1"])
            .args(["--max-examples", "25", "--seed", "20261208", "--no-color"])
            .args(["--generation-database", "none", "--request-timeout", "30"])
            .arg("-H")
            .arg(format!("Authorization: Bearer {token}"))
            .arg("--report-json-path")
            .arg(&report)
            .args(["--report", "json"])
            .current_dir(dir.path())
            .output()
            .map(|output| (output, std::fs::read_to_string(&report).ok()))
    })
    .await
    .unwrap()
    .expect("schemathesis runs");
    let (output, _report) = output;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let summary: Vec<&str> = stdout
        .lines()
        .skip_while(|line| !line.contains("SUMMARY"))
        .collect();
    println!("schemathesis: {}", summary.join("\n"));
    assert!(
        output.status.success(),
        "schemathesis found failures:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("Tested: 6"),
        "every operation was run:\n{stdout}"
    );
}
