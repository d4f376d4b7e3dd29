//! Every role, anonymous and another organisation's people included, against every protected
//! server function and page. The expectations are written out from the policy, not computed
//! by it, so a drift in either shows here.

use app::policy::{OrgKind, Role};
use valora_tests::{TestApp, signed_in_account};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Who {
    Anonymous,
    ImporterAdmin,
    ImporterTrader,
    ImporterCompliance,
    OtherImporterAdmin,
    BrokerTrader,
    OtherBrokerTrader,
    CustomsOfficer,
    ValuationAdmin,
    /// Case callers only: a second officer (not assigned), a supervisor and an auditor.
    OtherOfficer,
    CustomsSupervisor,
    CustomsAuditor,
}

const EVERYONE: [Who; 9] = [
    Who::Anonymous,
    Who::ImporterAdmin,
    Who::ImporterTrader,
    Who::ImporterCompliance,
    Who::OtherImporterAdmin,
    Who::BrokerTrader,
    Who::OtherBrokerTrader,
    Who::CustomsOfficer,
    Who::ValuationAdmin,
];

/// What a caller gets: refused (401/403, or sent to sign in) or let through to the work itself
/// (which may still find fault with the input).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Refused,
    Reached,
}

use Outcome::*;
use Who::*;

fn expected(endpoint: &str, who: Who) -> Outcome {
    let signed_in = who != Anonymous;
    let importer_admin = matches!(who, ImporterAdmin | OtherImporterAdmin);
    let broker = matches!(who, BrokerTrader | OtherBrokerTrader);
    let allowed = match endpoint {
        "/api/sessions" | "/api/change-password" | "/api/end-session" | "GET /account" => signed_in,
        "/api/mandates" | "/api/grant-mandate" | "/api/revoke-mandate" | "GET /mandates" => {
            importer_admin
        }
        "/api/mandating-importers" | "GET /act-for" => broker,
        "/api/members" | "/api/invite-member" | "/api/deactivate-member" => {
            matches!(who, ImporterAdmin | OtherImporterAdmin | ValuationAdmin)
        }
        // Only the firm holding the importer's mandate may act for it.
        "/api/act-for" => who == BrokerTrader,
        // Verification: every signed-in person sees their own (customs: none); valuation
        // administrators keep the queue and decide.
        "/api/my-verification" => signed_in,
        "/api/verification-queue"
        | "/api/verify-organisation"
        | "/api/reject-organisation"
        | "GET /customs/organisations" => who == ValuationAdmin,
        // API tokens: a trader organisation's administrators only (each their own firm's).
        "/api/create-api-token" | "/api/revoke-api-token" => importer_admin,
        other => panic!("no expectation for {other}"),
    };
    if allowed { Reached } else { Refused }
}

/// One account for every kind of caller (anonymous aside), signed in: the importer's three
/// roles and another importer's admin, the broker that can hold the importer's mandate and
/// another broker, and every customs role (two officers).
async fn everyone_signed_in(app: &TestApp) -> std::collections::HashMap<Who, String> {
    let (importer, broker) = (valora_tests::IMPORTER, valora_tests::BROKER);
    let other_importer = (OrgKind::Importer, "Textiles del Sur", "20100130204");
    let other_broker = (OrgKind::Broker, "Agencia Callao", "20543210987");
    let customs = (OrgKind::Customs, "SUNAT", "20600000013");
    assert!(
        app::domain::tax_id::TaxId::parse(app::domain::tax_id::TaxIdScheme::Ruc, customs.2).is_ok()
    );
    let mut cookies = std::collections::HashMap::new();
    for (who, org, email, role) in [
        (ImporterAdmin, importer, "admin@andina.pe", Role::OrgAdmin),
        (ImporterTrader, importer, "trader@andina.pe", Role::Trader),
        (
            ImporterCompliance,
            importer,
            "compliance@andina.pe",
            Role::Compliance,
        ),
        (
            OtherImporterAdmin,
            other_importer,
            "admin@sur.pe",
            Role::OrgAdmin,
        ),
        (BrokerTrader, broker, "agente@pacifico.pe", Role::Trader),
        (
            OtherBrokerTrader,
            other_broker,
            "agente@callao.pe",
            Role::Trader,
        ),
        (
            CustomsOfficer,
            customs,
            "oficial@sunat.pe",
            Role::CustomsOfficer,
        ),
        (
            ValuationAdmin,
            customs,
            "valoracion@sunat.pe",
            Role::ValuationAdmin,
        ),
        (
            OtherOfficer,
            customs,
            "oficial2@sunat.pe",
            Role::CustomsOfficer,
        ),
        (
            CustomsSupervisor,
            customs,
            "supervisora@sunat.pe",
            Role::CustomsSupervisor,
        ),
        (
            CustomsAuditor,
            customs,
            "auditor@sunat.pe",
            Role::CustomsAuditor,
        ),
    ] {
        cookies.insert(who, signed_in_account(app, org, email, role).await);
    }
    cookies
}

#[tokio::test]
async fn access_matches_the_policy_in_every_cell() {
    let app = TestApp::spawn().await;
    let (importer, broker) = (valora_tests::IMPORTER, valora_tests::BROKER);

    let cookies = everyone_signed_in(&app).await;
    let granted = app
        .post_form(
            "/api/grant-mandate",
            Some(&cookies[&ImporterAdmin]),
            &[("broker_tax_id", broker.2)],
        )
        .await;
    assert!(granted.status().is_redirection());
    let importer_id: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM organisations WHERE tax_id = $1")
            .bind(importer.2)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let importer_id = importer_id.to_string();
    let no_such = uuid::Uuid::new_v4().to_string();

    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("/api/sessions", vec![]),
        (
            "/api/change-password",
            vec![
                ("current_password", "wrong wrong wrong"),
                ("new_password", "x"),
            ],
        ),
        ("/api/end-session", vec![("id", "00")]),
        ("/api/mandates", vec![]),
        ("/api/grant-mandate", vec![("broker_tax_id", "1")]),
        ("/api/revoke-mandate", vec![("id", &no_such)]),
        ("/api/mandating-importers", vec![]),
        ("/api/members", vec![]),
        (
            "/api/invite-member",
            vec![("email", "x"), ("full_name", ""), ("role", "trader")],
        ),
        ("/api/act-for", vec![("importer", &importer_id)]),
        ("/api/deactivate-member", vec![("id", &no_such)]),
        ("/api/my-verification", vec![]),
        ("/api/verification-queue", vec![]),
        ("/api/verify-organisation", vec![("id", &no_such)]),
        (
            "/api/reject-organisation",
            vec![("id", &no_such), ("reason", "no record")],
        ),
        ("/api/create-api-token", vec![("name", "")]),
        ("/api/revoke-api-token", vec![("id", &no_such)]),
    ];
    let mut mismatches = Vec::new();
    for who in EVERYONE {
        let cookie = cookies.get(&who).map(String::as_str);
        for (path, form) in &calls {
            let status = app.call(path, cookie, form).await.status();
            let got = if status == 401 || status == 403 {
                Refused
            } else {
                Reached
            };
            assert!(status != 500, "{path} as {who:?} failed with 500");
            if got != expected(path, who) {
                mismatches.push(format!("{path} as {who:?}: {status}"));
            }
        }
        for page in [
            "/account",
            "/mandates",
            "/act-for",
            "/customs/organisations",
        ] {
            let response = match cookie {
                Some(cookie) => app.get_with_cookie(page, cookie).await,
                None => app.get_with(page, &[("accept", "text/html")]).await,
            };
            let status = response.status();
            let to_sign_in =
                status.is_redirection() && response.headers()["location"] == "/sign-in";
            let got = if to_sign_in || status == 403 {
                Refused
            } else {
                Reached
            };
            let endpoint = format!("GET {page}");
            if got != expected(&endpoint, who) || (got == Reached && status != 200) {
                mismatches.push(format!("{endpoint} as {who:?}: {status}"));
            }
        }
    }
    assert_no_mismatches(&mismatches);
}

/// What a caller gets from a document or library endpoint: refused (401/403, or sent to sign
/// in), not found (404: another organisation's data is not even confirmed to exist), or let
/// through to the work (which may still find fault with the input).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Seen {
    Refused,
    NotFound,
    Let,
}

/// The document and library cells, written out by hand. `A` is a saved assessment with a draft,
/// `B` one submitted to customs with a normal and a confidential document, `L` a library
/// document of the importer. The broker acts for the importer under its mandate; the other
/// broker holds none.
fn expected_document(cell: &str, who: Who) -> Seen {
    use Seen::{Let as L, NotFound as N, Refused as R};
    let row = match cell {
        // anonymous, importer admin, trader, compliance, other importer, broker with mandate,
        // broker without, customs officer, valuation admin
        "upload to A" => [R, L, L, L, N, L, N, N, N],
        "list A" => [R, L, L, L, N, L, N, N, N],
        "download A's draft" => [R, L, L, L, N, L, N, N, N],
        "submit A" => [R, L, L, L, N, L, N, N, N],
        "remove B's submitted document" => [R, L, L, L, N, L, N, N, N],
        "list B" => [R, L, L, L, N, L, N, L, L],
        "download B's normal document" => [R, L, L, L, N, L, N, L, L],
        "download B's confidential document" => [R, L, L, L, N, L, N, N, N],
        // Another importer reads its own (empty) library; a broker acting for nobody has none.
        "read the library" => [R, L, L, L, L, L, R, R, R],
        "download L" => [R, L, L, L, N, L, N, N, N],
        // Another importer's admin keeps its own library.
        "add to the library" => [R, L, R, L, L, R, R, R, R],
        other => panic!("no expectation for {other}"),
    };
    row[EVERYONE.iter().position(|w| *w == who).expect("a caller")]
}

fn seen(response: &reqwest::Response) -> Seen {
    let status = response.status();
    let to_sign_in = status.is_redirection()
        && response
            .headers()
            .get("location")
            .is_some_and(|l| l.to_str().unwrap_or_default().starts_with("/sign-in"));
    match status.as_u16() {
        401 | 403 => Seen::Refused,
        404 => Seen::NotFound,
        _ if to_sign_in => Seen::Refused,
        _ => Seen::Let,
    }
}

async fn multipart(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
    fields: &[(&str, &str)],
    file: (&str, &str, Vec<u8>),
) -> reqwest::Response {
    crate::documents::post_multipart(app, path, cookie, fields, &[file], true).await
}

async fn upload_note(
    app: &TestApp,
    reference: &str,
    cookie: Option<&str>,
    text: &str,
    confidentiality: &str,
) -> reqwest::Response {
    multipart(
        app,
        &format!("/assessments/{reference}/documents"),
        cookie,
        &[
            ("doc_type", "price_letter"),
            ("description", "Letter explaining the price"),
            ("confidentiality", confidentiality),
        ],
        ("files", "note.txt", text.as_bytes().to_vec()),
    )
    .await
}

async fn document_id(app: &TestApp, reference: &str, confidential: bool) -> String {
    let id: uuid::Uuid = sqlx::query_scalar(
        "SELECT d.id FROM documents d JOIN assessments a ON a.id = d.assessment_id
         WHERE a.reference = $1 AND d.confidential = $2 ORDER BY d.uploaded_at LIMIT 1",
    )
    .bind(reference)
    .bind(confidential)
    .fetch_one(&app.pool)
    .await
    .expect("a document");
    id.to_string()
}

#[tokio::test]
async fn document_and_library_access_matches_the_policy_in_every_cell() {
    let app = TestApp::spawn_configured(|c| c.demo = true).await;
    let cookies = everyone_signed_in(&app).await;
    let acted = app.act_for_demo_importer(&cookies[&BrokerTrader]).await;
    assert!(
        acted.status().is_redirection(),
        "the demo broker holds the demo importer's mandate"
    );

    let a = app
        .save_garlic_assessment(&cookies[&ImporterAdmin], "A")
        .await;
    let b = app
        .save_garlic_assessment(&cookies[&ImporterAdmin], "B")
        .await;
    let admin = Some(cookies[&ImporterAdmin].as_str());
    assert_eq!(
        upload_note(&app, &a, admin, "draft of A", "normal")
            .await
            .status(),
        200
    );
    assert_eq!(
        upload_note(&app, &b, admin, "normal of B", "normal")
            .await
            .status(),
        200
    );
    assert_eq!(
        upload_note(&app, &b, admin, "secret of B", "confidential")
            .await
            .status(),
        200
    );
    let submitted = app
        .call(
            "/api/submit-documents",
            admin,
            &[("reference", &b), ("confirm", "yes")],
        )
        .await;
    assert!(submitted.status().is_success(), "{}", submitted.status());
    let added = multipart(
        &app,
        "/library/documents",
        Some(&cookies[&ImporterCompliance]),
        &[
            ("doc_type", "price_list"),
            ("title", "Price list 2026"),
            ("supplier", "Shandong Garlic Co."),
            ("tariff_codes", "0703.20"),
            ("valid_from", "2026-01-01"),
            ("valid_until", ""),
        ],
        ("file", "prices.csv", b"code,price\n070320,0.9\n".to_vec()),
    )
    .await;
    assert!(added.status().is_redirection(), "{}", added.status());
    let library_doc: uuid::Uuid = sqlx::query_scalar("SELECT id FROM library_documents LIMIT 1")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let draft_of_a = document_id(&app, &a, false).await;
    let normal_of_b = document_id(&app, &b, false).await;
    let secret_of_b = document_id(&app, &b, true).await;

    let mut mismatches = Vec::new();
    for who in EVERYONE {
        let cookie = cookies.get(&who).map(String::as_str);
        let get = |path: String| {
            let app = &app;
            async move {
                let mut request = app
                    .client
                    .get(app.url(&path))
                    .header("accept", "application/json");
                if let Some(cookie) = cookie {
                    request = request.header("cookie", cookie);
                }
                request.send().await.expect("GET")
            }
        };
        let cells = [
            (
                "upload to A",
                upload_note(&app, &a, cookie, &format!("note by {who:?}"), "normal").await,
            ),
            (
                "list A",
                get(format!("/api/assessment-documents?reference={a}")).await,
            ),
            (
                "download A's draft",
                get(format!("/documents/{draft_of_a}")).await,
            ),
            (
                "submit A",
                app.call(
                    "/api/submit-documents",
                    cookie,
                    &[("reference", &a), ("confirm", "")],
                )
                .await,
            ),
            (
                "remove B's submitted document",
                app.call(
                    "/api/remove-document",
                    cookie,
                    &[("reference", &b), ("id", &normal_of_b)],
                )
                .await,
            ),
            (
                "list B",
                get(format!("/api/assessment-documents?reference={b}")).await,
            ),
            (
                "download B's normal document",
                get(format!("/documents/{normal_of_b}")).await,
            ),
            (
                "download B's confidential document",
                get(format!("/documents/{secret_of_b}")).await,
            ),
            ("read the library", get("/api/library".to_string()).await),
            (
                "download L",
                get(format!("/library/documents/{library_doc}")).await,
            ),
            (
                "add to the library",
                multipart(
                    &app,
                    "/library/documents",
                    cookie,
                    &[
                        ("doc_type", "price_list"),
                        ("title", ""),
                        ("valid_from", "2026-01-01"),
                    ],
                    ("file", "prices.csv", b"code,price\n".to_vec()),
                )
                .await,
            ),
        ];
        compare_cells(&mut mismatches, who, cells, expected_document);
    }
    assert_no_mismatches(&mismatches);
    let submitted_of_b: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM documents d JOIN assessments a ON a.id = d.assessment_id
         WHERE a.reference = $1 AND d.submission_id IS NOT NULL",
    )
    .bind(&b)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(submitted_of_b, 2, "a submitted document was removed");
    let customs_downloads = valora_tests::count(
        &app.pool,
        "SELECT count(*) FROM audit_log l JOIN users u ON u.id = l.actor_id
         WHERE l.action = 'document.download' AND u.email LIKE '%@sunat.pe'",
    )
    .await;
    assert_eq!(
        customs_downloads, 2,
        "each download by customs staff is audited"
    );
}

const CASE_CALLERS: [Who; 12] = [
    Who::Anonymous,
    Who::ImporterAdmin,
    Who::ImporterTrader,
    Who::ImporterCompliance,
    Who::OtherImporterAdmin,
    Who::BrokerTrader,
    Who::OtherBrokerTrader,
    Who::CustomsOfficer,
    Who::ValuationAdmin,
    Who::OtherOfficer,
    Who::CustomsSupervisor,
    Who::CustomsAuditor,
];

/// The case cells, written out by hand. `Q` is the importer's query on a submitted assessment
/// (its first message carries the assessment's normal and confidential documents), taken by the
/// officer, who then issued a request for information on it. Each action is sent with empty or
/// wrong input, so a caller let through meets a field error and nothing changes. Callers who may
/// not see `Q` (another organisation, customs staff who do not work cases) get "not found";
/// customs staff who see it but may not take the step get 403.
fn expected_case(cell: &str, who: Who) -> Seen {
    use Seen::{Let as L, NotFound as N, Refused as R};
    let row = match cell {
        // anonymous, importer admin, trader, compliance, other importer, broker with mandate,
        // broker without, assigned officer, valuation admin, other officer, supervisor, auditor
        // Customs staff work cases in their queue, not in a trader's list.
        "list cases" => [R, L, L, L, L, L, R, R, R, R, R, R],
        "open a query" => [R, L, L, L, L, L, R, R, R, R, R, R],
        "view Q" => [R, L, L, L, N, L, N, L, N, L, L, L],
        // Nothing for those who do not work cases (200 with no panel), the panel for the rest.
        "Q's customs panel" => [R, L, L, L, L, L, L, L, L, L, L, L],
        "write on Q" => [R, L, L, L, N, L, N, L, N, R, L, R],
        "ask an extension on Q" => [R, L, L, L, N, L, N, R, N, R, R, R],
        "withdraw Q" => [R, L, L, L, N, L, N, R, N, R, R, R],
        "download Q's document" => [R, L, L, L, N, L, N, L, N, L, L, L],
        "download Q's confidential document" => [R, L, L, L, N, L, N, L, N, N, L, L],
        "notice of Q's request" => [R, L, L, L, N, L, N, L, N, L, L, L],
        "the queue" => [R, R, R, R, R, R, R, L, R, L, L, L],
        "take Q" => [R, N, N, N, N, N, N, L, R, L, L, R],
        "release Q" => [R, N, N, N, N, N, N, L, R, R, L, R],
        // Assigning takes many cases at once: a customs-only action, refused to everyone else.
        "assign Q" => [R, R, R, R, R, R, R, R, R, R, L, R],
        "issue a request on Q" => [R, N, N, N, N, N, N, L, R, R, L, R],
        "decide Q's extension" => [R, N, N, N, N, N, N, L, R, R, L, R],
        "record Q's outcome" => [R, N, N, N, N, N, N, L, R, R, L, R],
        "reopen Q" => [R, N, N, N, N, N, N, L, R, R, L, R],
        "open a request" => [R, R, R, R, R, R, R, L, R, L, L, R],
        "the reports" => [R, R, R, R, R, R, R, R, R, R, L, L],
        "the reports CSV" => [R, R, R, R, R, R, R, R, R, R, L, L],
        "the holidays" => [R, R, R, R, R, R, R, L, L, L, L, L],
        "add a holiday" => [R, R, R, R, R, R, R, R, L, R, R, R],
        other => panic!("no expectation for {other}"),
    };
    row[CASE_CALLERS
        .iter()
        .position(|w| *w == who)
        .expect("a caller")]
}

#[tokio::test]
async fn case_access_matches_the_policy_in_every_cell() {
    let app = TestApp::spawn_configured(|c| c.demo = true).await;
    let cookies = everyone_signed_in(&app).await;
    let acted = app.act_for_demo_importer(&cookies[&BrokerTrader]).await;
    assert!(acted.status().is_redirection());
    let admin = Some(cookies[&ImporterAdmin].as_str());
    let a = app
        .save_garlic_assessment(&cookies[&ImporterAdmin], "Q")
        .await;
    for (text, level) in [("invoice", "normal"), ("margins", "confidential")] {
        let uploaded = upload_note(&app, &a, admin, text, level).await;
        assert_eq!(uploaded.status(), 200);
    }
    let submitted = app
        .call(
            "/api/submit-documents",
            admin,
            &[("reference", &a), ("confirm", "yes")],
        )
        .await;
    assert!(submitted.status().is_success(), "{}", submitted.status());
    let key = uuid::Uuid::new_v4().to_string();
    let opened = app
        .post_form(
            "/api/open-query",
            admin,
            &[
                ("subject", "Is our garlic price usual?"),
                ("category", "valuation"),
                ("assessment", &a),
                ("body", "We buy in bulk at a discount; is the value fine?"),
                ("client_key", &key),
                ("intent", "send"),
            ],
        )
        .await;
    assert!(opened.status().is_redirection(), "{}", opened.status());
    let q: String = sqlx::query_scalar(
        "SELECT c.reference FROM cases c JOIN assessments a ON a.id = c.assessment_id
         WHERE a.reference = $1",
    )
    .bind(&a)
    .fetch_one(&app.pool)
    .await
    .expect("the query");
    let officer = Some(cookies[&CustomsOfficer].as_str());
    let taken = app
        .post_form("/api/take-case", officer, &[("reference", &q)])
        .await;
    assert!(taken.status().is_redirection(), "{}", taken.status());
    let request_key = uuid::Uuid::new_v4().to_string();
    let issued = app
        .post_form(
            "/api/issue-request",
            officer,
            &[
                ("reference", &q),
                (
                    "grounds",
                    "The unit value is well below comparable imports.",
                ),
                ("doc_types", "contract"),
                ("client_key", &request_key),
            ],
        )
        .await;
    assert!(issued.status().is_redirection(), "{}", issued.status());
    let attachment = |confidential: bool| {
        let app = &app;
        let q = q.clone();
        async move {
            let id: uuid::Uuid = sqlx::query_scalar(
                "SELECT a.id FROM case_attachments a JOIN case_messages m ON m.id = a.message_id
                 JOIN cases c ON c.id = m.case_id WHERE c.reference = $1 AND a.confidential = $2",
            )
            .bind(&q)
            .bind(confidential)
            .fetch_one(&app.pool)
            .await
            .expect("an attachment of the query");
            id
        }
    };
    let normal = attachment(false).await;
    let secret = attachment(true).await;
    let request_event: i64 = sqlx::query_scalar(
        "SELECT e.id FROM case_events e JOIN cases c ON c.id = e.case_id
         WHERE c.reference = $1 AND e.kind = 'request_issued'",
    )
    .bind(&q)
    .fetch_one(&app.pool)
    .await
    .expect("the request's event");
    let state_before: String = sqlx::query_scalar("SELECT state FROM cases WHERE reference = $1")
        .bind(&q)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let events_before = valora_tests::count(&app.pool, "SELECT count(*) FROM case_events").await;
    let cases_before = valora_tests::count(&app.pool, "SELECT count(*) FROM cases").await;

    let mut mismatches = Vec::new();
    for who in CASE_CALLERS {
        let cookie = cookies.get(&who).map(String::as_str);
        let get = |path: String| {
            let app = &app;
            async move {
                let mut request = app.client.get(app.url(&path)).header("accept", "text/html");
                if let Some(cookie) = cookie {
                    request = request.header("cookie", cookie);
                }
                request.send().await.expect("GET")
            }
        };
        let post = |path: &'static str, form: Vec<(&'static str, String)>| {
            let app = &app;
            async move {
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                app.call(path, cookie, &form).await
            }
        };
        let reference = || ("reference", q.clone());
        let cells = [
            ("list cases", get("/cases".into()).await),
            (
                "open a query",
                post(
                    "/api/open-query",
                    vec![
                        ("subject", String::new()),
                        ("category", "valuation".into()),
                        ("body", String::new()),
                        ("client_key", uuid::Uuid::new_v4().to_string()),
                        ("intent", "send".into()),
                    ],
                )
                .await,
            ),
            ("view Q", get(format!("/cases/{q}")).await),
            (
                "Q's customs panel",
                get(format!("/api/casework-panel?reference={q}")).await,
            ),
            (
                "write on Q",
                crate::documents::post_multipart(
                    &app,
                    &format!("/cases/{q}/messages"),
                    cookie,
                    &[
                        ("body", ""),
                        ("purpose", "message"),
                        ("client_key", &uuid::Uuid::new_v4().to_string()),
                    ],
                    &[],
                    true,
                )
                .await,
            ),
            (
                "ask an extension on Q",
                post(
                    "/api/ask-extension",
                    vec![reference(), ("reason", String::new())],
                )
                .await,
            ),
            (
                "withdraw Q",
                post(
                    "/api/withdraw-case",
                    vec![reference(), ("reason", String::new())],
                )
                .await,
            ),
            (
                "download Q's document",
                get(format!("/cases/{q}/attachments/{normal}")).await,
            ),
            (
                "download Q's confidential document",
                get(format!("/cases/{q}/attachments/{secret}")).await,
            ),
            (
                "notice of Q's request",
                get(format!("/cases/{q}/notices/{request_event}")).await,
            ),
            ("the queue", get("/customs/cases".into()).await),
            // Already taken by the officer: let through, the case refuses a second taker.
            ("take Q", post("/api/take-case", vec![reference()]).await),
            (
                "release Q",
                post(
                    "/api/release-case",
                    vec![reference(), ("reason", String::new())],
                )
                .await,
            ),
            (
                "assign Q",
                post(
                    "/api/assign-cases",
                    vec![
                        reference(),
                        ("assignee", String::new()),
                        ("reason", String::new()),
                    ],
                )
                .await,
            ),
            (
                "issue a request on Q",
                post(
                    "/api/issue-request",
                    vec![
                        reference(),
                        ("grounds", String::new()),
                        ("client_key", uuid::Uuid::new_v4().to_string()),
                    ],
                )
                .await,
            ),
            (
                "decide Q's extension",
                post(
                    "/api/decide-extension",
                    vec![
                        reference(),
                        ("decision", String::new()),
                        ("due_on", String::new()),
                        ("reason", String::new()),
                    ],
                )
                .await,
            ),
            (
                "record Q's outcome",
                post(
                    "/api/record-outcome",
                    vec![
                        reference(),
                        ("outcome", String::new()),
                        ("grounds", String::new()),
                        ("next_method", String::new()),
                    ],
                )
                .await,
            ),
            (
                "reopen Q",
                post(
                    "/api/reopen-case",
                    vec![reference(), ("reason", String::new())],
                )
                .await,
            ),
            (
                "open a request",
                post(
                    "/api/open-request",
                    vec![
                        ("assessment", String::new()),
                        ("declaration", String::new()),
                        ("importer_tax_id", String::new()),
                        ("subject", String::new()),
                        ("grounds", String::new()),
                        ("client_key", uuid::Uuid::new_v4().to_string()),
                    ],
                )
                .await,
            ),
            ("the reports", get("/customs/reports".into()).await),
            ("the reports CSV", get("/customs/reports.csv".into()).await),
            ("the holidays", get("/customs/holidays".into()).await),
            (
                "add a holiday",
                post(
                    "/api/add-holiday",
                    vec![("day", String::new()), ("name", String::new())],
                )
                .await,
            ),
        ];
        compare_cells(&mut mismatches, who, cells, expected_case);
    }
    assert_no_mismatches(&mismatches);
    let state_after: String = sqlx::query_scalar("SELECT state FROM cases WHERE reference = $1")
        .bind(&q)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(state_after, state_before, "no cell changed the case");
    assert_eq!(
        valora_tests::count(&app.pool, "SELECT count(*) FROM case_events").await,
        events_before,
        "no cell added a step to the timeline"
    );
    assert_eq!(
        valora_tests::count(&app.pool, "SELECT count(*) FROM cases").await,
        cases_before,
        "no cell opened a case"
    );
}

/// Notes each cell whose answer differs from `expected` (a 500 fails at once).
fn compare_cells(
    mismatches: &mut Vec<String>,
    who: Who,
    cells: impl IntoIterator<Item = (&'static str, reqwest::Response)>,
    expected: fn(&str, Who) -> Seen,
) {
    for (cell, response) in cells {
        assert!(
            response.status() != 500,
            "{cell} as {who:?} failed with 500"
        );
        if seen(&response) != expected(cell, who) {
            mismatches.push(format!("{cell} as {who:?}: {}", response.status()));
        }
    }
}

fn assert_no_mismatches(mismatches: &[String]) {
    assert!(
        mismatches.is_empty(),
        "cells that differ from the policy:\n{}",
        mismatches.join("\n")
    );
}

/// The callers hardening added, against the cells that tell them apart: an importer registered
/// but not verified (its administrator), a member deactivated by their administrator (the
/// session they held), and an API token past its expiry. Written out by hand: (cell, what the
/// caller gets).
#[tokio::test]
async fn unverified_organisations_deactivated_members_and_expired_tokens_get_only_their_cells() {
    let app = TestApp::spawn_configured(|c| c.demo = true).await;
    let admin = app.sign_in_demo("ana.admin@importadora.demo").await;
    let reference = app.save_garlic_assessment(&admin, "matrix").await;

    // An unverified importer: registered through the form, address confirmed.
    let registered = app
        .call(
            "/api/register",
            None,
            &[
                ("org_kind", "importer"),
                ("org_name", "Sin Verificar S.A.C."),
                ("tax_id", "20100071097"),
                ("full_name", "Elsa Mamani"),
                ("email", "elsa@sinverificar.pe"),
                ("password", valora_tests::TEST_PASSWORD),
            ],
        )
        .await;
    assert_eq!(registered.status(), 200);
    sqlx::query("UPDATE users SET email_verified_at = now() WHERE email = 'elsa@sinverificar.pe'")
        .execute(&app.pool)
        .await
        .unwrap();
    let unverified = app.another_session("elsa@sinverificar.pe").await;
    let own = app.save_garlic_assessment(&unverified, "own").await;
    let mut cells: Vec<(&str, Seen, reqwest::Response)> = vec![
        (
            "unverified: its verification",
            Seen::Let,
            app.call("/api/my-verification", Some(&unverified), &[])
                .await,
        ),
        (
            "unverified: the verification queue",
            Seen::Refused,
            app.call("/api/verification-queue", Some(&unverified), &[])
                .await,
        ),
        (
            "unverified: a document on its own assessment",
            Seen::Refused,
            upload_note(&app, &own, Some(&unverified), "nota", "normal").await,
        ),
        (
            "unverified: a query to customs",
            Seen::Refused,
            app.call(
                "/api/open-query",
                Some(&unverified),
                &[
                    ("subject", "Consulta"),
                    ("category", "valuation"),
                    ("body", "Consulta"),
                    ("intent", "send"),
                ],
            )
            .await,
        ),
        (
            "unverified: another importer's assessment",
            Seen::NotFound,
            app.get_with_cookie(&format!("/assessments/{reference}"), &unverified)
                .await,
        ),
    ];

    // Evidence of who the unverified importer is: its administrator gives and reads it, the
    // valuation administrator reads it, nobody else gives any or sees it.
    let evidence = |cookie: Option<String>| {
        let app = &app;
        async move {
            crate::documents::post_multipart(
                app,
                "/organisation/evidence",
                cookie.as_deref(),
                &[],
                &[("file", "ficha-ruc.txt", b"Ficha RUC 20100071097".to_vec())],
                false,
            )
            .await
        }
    };
    let given = evidence(Some(unverified.clone())).await;
    assert!(given.status().is_redirection(), "{}", given.status());
    let evidence_id: uuid::Uuid = sqlx::query_scalar(
        "SELECT e.id FROM organisation_evidence e JOIN organisations o ON o.id = e.organisation_id
         WHERE o.tax_id = '20100071097'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let officer = app.sign_in_demo("olga.oficial@sunat.demo").await;
    let valuation = app.sign_in_demo("victor.valoracion@sunat.demo").await;
    let trader = app
        .sign_in_demo("carlos.cumplimiento@importadora.demo")
        .await;
    cells.push((
        "evidence: a compliance user gives some",
        Seen::Refused,
        evidence(Some(trader.clone())).await,
    ));
    cells.push((
        "evidence: a customs officer gives some",
        Seen::Refused,
        evidence(Some(officer.clone())).await,
    ));
    cells.push((
        "evidence: anonymous gives some",
        Seen::Refused,
        evidence(None).await,
    ));
    let file = format!("/organisation/evidence/{evidence_id}");
    for (cell, cookie, expected) in [
        (
            "evidence: its administrator reads it",
            &unverified,
            Seen::Let,
        ),
        (
            "evidence: the valuation administrator reads it",
            &valuation,
            Seen::Let,
        ),
        (
            "evidence: a customs officer reads it",
            &officer,
            Seen::NotFound,
        ),
        (
            "evidence: another importer's admin reads it",
            &admin,
            Seen::NotFound,
        ),
    ] {
        cells.push((cell, expected, app.get_with_cookie(&file, cookie).await));
    }
    cells.push((
        "evidence: anonymous reads it",
        Seen::Refused,
        app.get_with(&file, &[("accept", "text/html")]).await,
    ));

    // A member deactivated by the administrator: the session they held is refused everywhere.
    let member = valora_tests::signed_in_account(
        &app,
        (
            app::policy::OrgKind::Importer,
            "Importadora Andina S.A.C. (demo)",
            "20100070970",
        ),
        "salio@importadora.demo",
        app::policy::Role::Trader,
    )
    .await;
    let member_id: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'salio@importadora.demo'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let deactivated = app
        .call(
            "/api/deactivate-member",
            Some(&admin),
            &[("id", &member_id.to_string())],
        )
        .await;
    assert!(deactivated.status().is_success());
    cells.push((
        "deactivated: the account page",
        Seen::Refused,
        app.get_with_cookie("/account", &member).await,
    ));
    cells.push((
        "deactivated: the importer's assessment",
        Seen::Refused,
        app.get_with_cookie(&format!("/assessments/{reference}"), &member)
            .await,
    ));
    cells.push((
        "deactivated: save a check",
        Seen::Refused,
        app.call("/api/save-assessment", Some(&member), &[("label", "x")])
            .await,
    ));

    // An API token past its expiry.
    let token: String = app
        .call_json("/api/create-api-token", Some(&admin), &[("name", "ERP")])
        .await;
    sqlx::query("UPDATE api_tokens SET expires_at = now() - interval '1 second'")
        .execute(&app.pool)
        .await
        .unwrap();
    let with_token = |path: String| {
        let token = token.clone();
        let app = &app;
        async move {
            app.client
                .get(app.url(&path))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
        }
    };
    cells.push((
        "expired token: the assessment's documents",
        Seen::Refused,
        with_token(format!("/api/v1/assessments/{reference}/documents")).await,
    ));
    cells.push((
        "expired token: a check",
        Seen::Refused,
        app.client
            .post(app.url("/api/v1/checks"))
            .bearer_auth(&token)
            .json(&serde_json::json!({"hs": "070320"}))
            .send()
            .await
            .unwrap(),
    ));

    let mut mismatches = Vec::new();
    for (cell, expected, response) in &cells {
        assert!(response.status() != 500, "{cell} failed with 500");
        if seen(response) != *expected {
            mismatches.push(format!("{cell}: {}", response.status()));
        }
    }
    assert_no_mismatches(&mismatches);
}
