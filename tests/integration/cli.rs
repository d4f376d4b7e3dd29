//! The administrator's command line, run as the built binary: customs staff accounts, reference
//! data and declaration records, band computation and publication.

use valora_tests::process::{no_redirect_client, run_command, start_server_process};
use valora_tests::{fresh_database_url, session_cookie};

/// Customs staff come from the command line (or a valuation administrator's invitation), never
/// from sign-up; the password is read from standard input and must meet the policy.
#[tokio::test]
async fn the_command_line_creates_customs_staff_who_can_sign_in() {
    let url = fresh_database_url().await;
    let create = |password: &str| {
        run_command(
            &url,
            &[
                "create-customs-user",
                "olga@sunat.gob.pe",
                "Olga Mendoza",
                "customs_officer",
            ],
            Some(password),
        )
    };
    let weak = create("123456789012");
    assert!(!weak.success());
    assert!(weak.stderr.contains("password"));
    let made = create("inca kola chicha morada");
    assert!(made.success(), "{}", made.stderr);

    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    let (role, kind): (String, String) = sqlx::query_as(
        "SELECT u.role, o.kind FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.email = 'olga@sunat.gob.pe'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (role.as_str(), kind.as_str()),
        ("customs_officer", "customs")
    );
    let server = start_server_process(&url, "smtp://127.0.0.1:9");
    let response = no_redirect_client()
        .post(format!("{}/api/sign-in", server.base))
        .header("accept", "text/html")
        .form(&[
            ("email", "olga@sunat.gob.pe"),
            ("password", "inca kola chicha morada"),
        ])
        .send()
        .await
        .unwrap();
    assert!(session_cookie(&response).is_some());
}

#[tokio::test]
async fn the_commands_import_reference_data_and_records_then_compute_and_publish_bands() {
    let url = fresh_database_url().await;
    let run = |args: &[&str]| {
        let output = run_command(&url, args, None);
        (output.code, output.stdout, output.stderr)
    };
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "section,hscode,description,parent,level\nI,01,Animals,TOTAL,2\nI,01X2,Bad,01,4\n",
    )
    .unwrap();
    let (code, _, stderr) = run(&["import-hs", bad.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("line 3:"), "{stderr}");

    let fixture = |name: &str| valora_tests::fixture(name).display().to_string();
    let (code, stdout, stderr) = run(&["import", "hs", &fixture("hs2022.csv")]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("imported 6939 hs rows"), "{stdout}");
    for (kind, file) in [
        ("countries", "countries.csv"),
        ("units", "unece-units-of-measure.csv"),
    ] {
        let (code, _, stderr) = run(&["import", kind, &fixture(file)]);
        assert_eq!(code, Some(0), "{kind}: {stderr}");
    }

    let records = dir.path().join("records.csv");
    std::fs::write(
        &records,
        valora_tests::records_csv(&valora_tests::baci_flows()[..5000]),
    )
    .unwrap();
    let (code, stdout, stderr) = run(&["import-records", records.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("imported 5000 records"), "{stdout}");

    let (code, stdout, stderr) = run(&["compute-bands", "2020-01-01", "2020-12-31", "6"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.starts_with("draft run 1:"), "{stdout}");
    let (code, _, stderr) = run(&["publish-bands", "1", "2000-01-01"]);
    assert_eq!(code, Some(2), "an effective date in the past: {stderr}");
    let today = chrono::Utc::now().date_naive().to_string();
    let (code, stdout, stderr) = run(&["publish-bands", "1", &today]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("published"), "{stdout}");
    let (code, _, stderr) = run(&["publish-bands", "1", &today]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("not a draft"), "{stderr}");
}
