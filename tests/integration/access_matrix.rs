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
        "/api/members" | "/api/invite-member" => {
            matches!(who, ImporterAdmin | OtherImporterAdmin | ValuationAdmin)
        }
        // Only the firm holding the importer's mandate may act for it.
        "/api/act-for" => who == BrokerTrader,
        other => panic!("no expectation for {other}"),
    };
    if allowed { Reached } else { Refused }
}

#[tokio::test]
async fn access_matches_the_policy_in_every_cell() {
    let app = TestApp::spawn().await;
    let importer = (OrgKind::Importer, "Importadora Andina", "20100070970");
    let other_importer = (OrgKind::Importer, "Textiles del Sur", "20100130204");
    let broker = (OrgKind::Broker, "Agencia Pacífico", "20100047218");
    let other_broker = (OrgKind::Broker, "Agencia Callao", "20131312955");
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
    ] {
        cookies.insert(who, signed_in_account(&app, org, email, role).await);
    }
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
        for page in ["/account", "/mandates", "/act-for"] {
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
    assert!(
        mismatches.is_empty(),
        "cells that differ from the policy:\n{}",
        mismatches.join("\n")
    );
}
