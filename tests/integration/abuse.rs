//! Attacks that cost the server: sign-in guessing that cannot be raced or turned against the
//! owner, sign-up floods stopped before any password is hashed, a bounded number of hashes at
//! once, client addresses behind proxies, and request ids the client cannot choose.

use std::time::Duration;

use app::policy::Role;
use futures_util::future::join_all;
use valora_tests::{IMPORTER, TEST_PASSWORD, TestApp, signed_in_account};

const OWNER: &str = "owner@andina.pe";
const WRONG: &str = "not the right pass phrase";

async fn sign_in_from(app: &TestApp, client: &str, password: &str) -> reqwest::Response {
    app.call_from(
        client,
        "/api/sign-in",
        &[("email", OWNER), ("password", password)],
    )
    .await
}

#[tokio::test]
async fn a_strangers_wrong_guesses_lock_out_the_stranger_but_never_the_owner() {
    let app = TestApp::spawn_behind_proxy(|_| ()).await;
    signed_in_account(&app, IMPORTER, OWNER, Role::OrgAdmin).await;
    for attempt in 1..=5 {
        let response = sign_in_from(&app, "203.0.113.9", WRONG).await;
        assert_eq!(response.status(), 400, "attempt {attempt}");
    }
    let refused = sign_in_from(&app, "203.0.113.9", TEST_PASSWORD).await;
    assert_eq!(refused.status(), 429, "the stranger is held off");
    let wait: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "Retry-After {wait}");

    let started = std::time::Instant::now();
    let owner = sign_in_from(&app, "198.51.100.7", TEST_PASSWORD).await;
    assert_eq!(
        owner.status(),
        200,
        "the owner signs in from their own address"
    );
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "but is slowed down while the account is under attack"
    );
}

#[tokio::test]
async fn an_ipv6_client_is_counted_by_its_64() {
    let app = TestApp::spawn_behind_proxy(|_| ()).await;
    signed_in_account(&app, IMPORTER, OWNER, Role::OrgAdmin).await;
    for n in 1..=5 {
        let client = format!("2001:db8:1:2::{n}");
        assert_eq!(sign_in_from(&app, &client, WRONG).await.status(), 400);
    }
    assert_eq!(
        sign_in_from(&app, "2001:db8:1:2:ffff::99", WRONG)
            .await
            .status(),
        429,
        "another address of the same /64 is the same client"
    );
    assert_eq!(
        sign_in_from(&app, "2001:db8:1:3::1", WRONG).await.status(),
        400,
        "the next /64 is another client"
    );
}

#[tokio::test]
async fn parallel_wrong_passwords_count_as_they_start() {
    let app = TestApp::spawn_behind_proxy(|_| ()).await;
    signed_in_account(&app, IMPORTER, OWNER, Role::OrgAdmin).await;
    let attempts = (0..12).map(|_| sign_in_from(&app, "203.0.113.9", WRONG));
    let statuses: Vec<u16> = join_all(attempts)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    let checked = statuses.iter().filter(|s| **s == 400).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(checked + refused, 12, "{statuses:?}");
    assert!(checked <= 5, "at most the limit were checked: {statuses:?}");
}

fn sign_up<'a>(email: &'a str, ruc: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("org_kind", "importer"),
        ("org_name", "Importadora Sur S.A.C."),
        ("tax_id", ruc),
        ("full_name", "Rosa Huamán"),
        ("email", email),
        ("password", TEST_PASSWORD),
    ]
}

#[tokio::test]
async fn sign_ups_are_limited_per_client_and_per_email_before_anything_is_created() {
    let app = TestApp::spawn_behind_proxy(|c| {
        c.registrations_per_client = 2;
        c.mails_per_address = 1;
    })
    .await;
    let client = "203.0.113.20";
    for (email, ruc) in [("a@sur.pe", "20100071003"), ("b@sur.pe", "20100071011")] {
        let response = app
            .call_from(client, "/api/register", &sign_up(email, ruc))
            .await;
        assert_eq!(response.status(), 200, "{email}");
    }
    let third = app
        .call_from(client, "/api/register", &sign_up("c@sur.pe", "20100071020"))
        .await;
    assert_eq!(third.status(), 429);
    assert!(third.headers().contains_key("retry-after"));
    assert!(third.text().await.unwrap().contains("Demasiados registros"));

    let again = app
        .call_from(
            "198.51.100.30",
            "/api/register",
            &sign_up("a@sur.pe", "20100071038"),
        )
        .await;
    assert_eq!(
        again.status(),
        429,
        "the same address again, from elsewhere"
    );
    assert_eq!(app.count("SELECT count(*) FROM users").await, 2);
    assert_eq!(
        app.count("SELECT count(*) FROM organisations WHERE kind <> 'customs'")
            .await,
        2
    );
}

#[tokio::test]
async fn a_flood_of_hashes_waits_for_a_slot_and_past_the_wait_gets_503() {
    let app = TestApp::spawn_behind_proxy(|c| {
        c.hash_concurrency = 1;
        c.hash_wait = Duration::ZERO;
    })
    .await;
    // Unknown addresses from different clients: no limit applies, and each costs a hash
    // (a dummy one, so that timing does not tell which accounts exist).
    let attempts = (0..16).map(|n| {
        let (client, email) = (
            format!("203.0.113.{}", 40 + n),
            format!("nobody{n}@andina.pe"),
        );
        let app = &app;
        async move {
            app.call_from(
                &client,
                "/api/sign-in",
                &[("email", email.as_str()), ("password", WRONG)],
            )
            .await
        }
    });
    let responses = join_all(attempts).await;
    let statuses: Vec<u16> = responses.iter().map(|r| r.status().as_u16()).collect();
    assert!(
        statuses.iter().all(|s| [400, 503].contains(s)),
        "{statuses:?}"
    );
    assert!(statuses.contains(&503), "{statuses:?}");
    let busy = responses.iter().find(|r| r.status() == 503).unwrap();
    assert_eq!(busy.headers()["retry-after"], "5");
}

#[tokio::test]
async fn the_client_address_behind_proxies_is_the_first_untrusted_hop_from_the_right() {
    let app = TestApp::spawn_behind_proxy(|_| ()).await;
    let response = app
        .client
        .post(app.url("/api/sign-in"))
        .header("origin", app.base.origin().ascii_serialization())
        .header("accept", "application/json")
        .header("x-forwarded-for", "1.2.3.4, 203.0.113.77")
        .header("x-forwarded-for", "127.0.0.1")
        .form(&[("email", "nobody@andina.pe"), ("password", WRONG)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let addr: String = sqlx::query_scalar(
        "SELECT client_addr FROM audit_log WHERE action = 'sign_in_failed' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(addr, "203.0.113.77");
}

#[tokio::test]
async fn a_request_id_sent_by_the_client_is_replaced() {
    let app = TestApp::spawn().await;
    let response = app
        .get_with("/", &[("x-request-id", "chosen-by-the-client")])
        .await;
    let id = response.headers()["x-request-id"].to_str().unwrap();
    assert_ne!(id, "chosen-by-the-client");
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
}

#[tokio::test]
async fn a_failed_sign_in_for_an_unknown_address_keeps_a_keyed_hash_not_what_was_typed() {
    let app = TestApp::spawn().await;
    signed_in_account(&app, IMPORTER, OWNER, Role::OrgAdmin).await;
    for email in ["typo@andina.pe", "typo@andina.pe", OWNER] {
        let response = app.sign_in_call(email, WRONG).await;
        assert_eq!(response.status(), 400);
    }
    let subjects: Vec<String> = sqlx::query_scalar(
        "SELECT subject FROM audit_log WHERE action = 'sign_in_failed' ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(subjects.len(), 3);
    assert!(subjects[0].starts_with("email-hmac:"), "{subjects:?}");
    assert!(!subjects[0].contains("typo"), "{subjects:?}");
    assert_eq!(
        subjects[0], subjects[1],
        "the same address gives the same stand-in"
    );
    assert_eq!(
        subjects[2],
        format!("email:{OWNER}"),
        "an account's own address is kept"
    );
}
