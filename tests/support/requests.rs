//! Request-and-read helpers on [`TestApp`] that the tests share, so a test states what it checks
//! rather than how a request is built.

use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::{SmtpServer, TestApp, session_cookie};

impl TestApp {
    /// A server on a fresh database that sends its mail to a real SMTP server.
    pub async fn spawn_with_smtp() -> (SmtpServer, TestApp) {
        let smtp = SmtpServer::start().await;
        let app = TestApp::spawn_configured(|c| c.smtp_url = Some(smtp.url())).await;
        (smtp, app)
    }

    /// GET `path` with these request headers (and no others).
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
        let mut request = self.client.get(self.url(path));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.expect("GET")
    }

    /// POST `form` to `path` with these request headers and no others (no `Origin` is added,
    /// so a test can send a foreign one or none).
    pub async fn post_with(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut request = self.client.post(self.url(path)).form(form);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.expect("POST")
    }

    /// Posts a form from this site, as a browser without JavaScript does, and returns the
    /// `Location` it is sent on to.
    pub async fn post_form_location(
        &self,
        path: &str,
        cookie: Option<&str>,
        form: &[(&str, &str)],
    ) -> String {
        let response = self.post_form(path, cookie, form).await;
        match response.headers().get("location") {
            Some(location) => location.to_str().expect("a text location").to_string(),
            None => panic!("POST {path} did not redirect: {}", response.status()),
        }
    }

    /// Uploads a multipart form from this site, with `cookie` if given.
    pub async fn upload(
        &self,
        path: &str,
        cookie: Option<&str>,
        form: reqwest::multipart::Form,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .post(self.url(path))
            .header("origin", self.base.origin().ascii_serialization());
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.multipart(form).send().await.expect("upload")
    }

    /// The page at `path` as `cookie` sees it.
    pub async fn text_with_cookie(&self, path: &str, cookie: &str) -> String {
        self.get_with_cookie(path, cookie)
            .await
            .text()
            .await
            .expect("body")
    }

    /// The status `path` answers `cookie` with.
    pub async fn status_with_cookie(&self, path: &str, cookie: &str) -> StatusCode {
        self.get_with_cookie(path, cookie).await.status()
    }

    /// The status of a server-function call made as the hydrated page makes it.
    pub async fn call_status(
        &self,
        path: &str,
        cookie: Option<&str>,
        form: &[(&str, &str)],
    ) -> StatusCode {
        self.call(path, cookie, form).await.status()
    }

    /// A server function's JSON answer.
    pub async fn call_json<T: DeserializeOwned>(
        &self,
        path: &str,
        cookie: Option<&str>,
        form: &[(&str, &str)],
    ) -> T {
        self.call(path, cookie, form)
            .await
            .json()
            .await
            .unwrap_or_else(|e| panic!("{path} answered no JSON: {e}"))
    }

    /// Posts the sign-in form without JavaScript.
    pub async fn sign_in_form(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_form(
            "/api/sign-in",
            None,
            &[("email", email), ("password", password)],
        )
        .await
    }

    /// A server that believes `X-Forwarded-For` from loopback, so a test can speak as several
    /// clients ([`call_from`](Self::call_from)); `adjust` may change other settings.
    pub async fn spawn_behind_proxy(
        adjust: impl FnOnce(&mut valora_server::config::Config),
    ) -> TestApp {
        TestApp::spawn_configured(|c| {
            c.trusted_proxies = vec![std::net::Ipv4Addr::LOCALHOST.into()];
            adjust(c);
        })
        .await
    }

    /// Calls a server function as the hydrated page does, for the client at `client` behind the
    /// trusted proxy (see [`spawn_behind_proxy`](Self::spawn_behind_proxy)).
    pub async fn call_from(
        &self,
        client: &str,
        path: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("origin", self.base.origin().ascii_serialization())
            .header("accept", "application/json")
            .header("x-forwarded-for", client)
            .form(form)
            .send()
            .await
            .expect("POST")
    }

    /// Calls the sign-in server function as the hydrated page does.
    pub async fn sign_in_call(&self, email: &str, password: &str) -> reqwest::Response {
        self.call(
            "/api/sign-in",
            None,
            &[("email", email), ("password", password)],
        )
        .await
    }

    /// Whether the sign-in form with these details gives a session.
    pub async fn signs_in(&self, email: &str, password: &str) -> bool {
        session_cookie(&self.sign_in_form(email, password).await).is_some()
    }

    /// The one number a `SELECT count(*) ...` gives.
    pub async fn count(&self, sql: &str) -> i64 {
        crate::count(&self.pool, sql).await
    }

    /// The two numbers a `SELECT (SELECT count(*) ...), (SELECT count(*) ...)` gives.
    pub async fn count_pair(&self, sql: &str) -> (i64, i64) {
        sqlx::query_as(sql)
            .fetch_one(&self.pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}

/// Where a redirecting response sends the browser (and that it does redirect).
pub fn location(response: &reqwest::Response) -> String {
    assert!(response.status().is_redirection(), "{}", response.status());
    response.headers()["location"]
        .to_str()
        .expect("a text location")
        .to_string()
}

/// Asserts that `text` contains each of `needles`, naming the first one missing.
pub fn assert_contains_all(text: &str, needles: &[&str]) {
    for needle in needles {
        assert!(text.contains(needle), "{needle} in {text}");
    }
}
