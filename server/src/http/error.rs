//! The one mapping from a failed request to its response, for every handler in `http`: the
//! status, and a body for a person (text in their language, or a redirect) or for a program
//! (JSON `{"error": code, "message": ...}`). Internal failures show only their correlation id.

use axum::Json;
use axum::extract::multipart::MultipartError;
use axum::response::{Html, IntoResponse, Redirect, Response};
use http::{HeaderValue, StatusCode, header};
use serde_json::json;

use app::error::AppError;
use app::features::api_tokens::service::TokenRefusal;
use app::features::batches::service::{ApiCheckError, BodyError, UploadError};
use app::i18n::{Lang, Msg, fmt, t};
use app::pages::error::unavailable_page_html;
use app::server::quota::Exceeded;

/// Why a request failed, with what its answer needs.
#[derive(Debug)]
pub enum HttpError {
    /// For a person using the portal: not signed in goes to sign in; anything else is its
    /// status with the message as text in `lang`.
    Page { error: AppError, lang: Lang },
    /// A multipart form that could not be read: axum's status, its words inside ours in `lang`.
    Form { error: MultipartError, lang: Lang },
    /// An invoice file refused: back to the batch form with the reason (nothing was saved).
    BatchFile { code: &'static str, detail: String },
    /// A body declared (`Content-Length`) larger than its route's limit of `limit` bytes,
    /// refused before it is read, in `lang`.
    TooLarge { limit: usize, lang: Lang },
    /// For a program using the JSON API.
    Api(ApiError),
    /// A daily quota used up, for a person: 429 with `Retry-After` and the reason in `lang`.
    Quota { exceeded: Exceeded, lang: Lang },
    /// A form sent for a JSON answer that has problems: 422 with
    /// `{"errors": [{"field": ..., "message": ...}]}`, the messages in the caller's language.
    Unprocessable(Vec<(String, String)>),
}

/// The JSON API's failures, each with its `error` code.
#[derive(Debug)]
pub enum ApiError {
    /// `unauthorized` (401, `WWW-Authenticate: Bearer`): no token, or one not valid; in
    /// English (the token is checked before anything else of the request is read).
    Unauthorized(Msg),
    /// `line_count` (400): no lines, or more than 10,000, in `lang`.
    LineCount(Lang),
    /// `invalid_json` (400): the body is not a check, in `lang`; the parser's words.
    InvalidJson { detail: String, lang: Lang },
    /// `too_large` (413): the body could not be read whole within the limit; in English.
    TooLarge,
    /// `invalid_parameter` (400): a query parameter that cannot be read, its message in both
    /// languages (`message` in English, `message_es` in Spanish).
    InvalidParameter {
        parameter: &'static str,
        message: Msg,
    },
    /// `quota` (429, `Retry-After`): the organisation's daily quota would be passed, in `lang`.
    Quota { exceeded: Exceeded, lang: Lang },
    /// A failure of the app, its message in `lang`.
    App { error: AppError, lang: Lang },
}

impl HttpError {
    /// Maps an app error for a person, in `lang`: `.map_err(HttpError::page(lang))`.
    pub fn page(lang: Lang) -> impl Fn(AppError) -> HttpError {
        move |error| HttpError::Page { error, lang }
    }

    /// Maps a multipart form that could not be read, in `lang`: `.map_err(HttpError::form(lang))`.
    pub fn form(lang: Lang) -> impl Fn(MultipartError) -> HttpError {
        move |error| HttpError::Form { error, lang }
    }

    /// A bad request from a form, worded already.
    pub fn bad_form(message: &str, lang: Lang) -> HttpError {
        HttpError::Page {
            error: AppError::Invalid(message.to_string()),
            lang,
        }
    }

    /// Maps a batch upload that could not be read: too large goes back to the form like a bad
    /// file.
    pub fn batch_form(lang: Lang) -> impl Fn(MultipartError) -> HttpError {
        move |error| {
            if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
                HttpError::batch(lang)(UploadError::too_large())
            } else {
                HttpError::Form { error, lang }
            }
        }
    }

    /// Maps a batch upload's failure for a person, in `lang`.
    pub fn batch(lang: Lang) -> impl Fn(UploadError) -> HttpError {
        move |error| match error {
            UploadError::File { code, detail } => HttpError::BatchFile { code, detail },
            UploadError::Quota(exceeded) => HttpError::Quota { exceeded, lang },
            UploadError::Failed(error) => HttpError::Page { error, lang },
        }
    }

    /// Maps the checks API's failure, in `lang`.
    pub fn checks(lang: Lang) -> impl Fn(ApiCheckError) -> HttpError {
        move |error| {
            HttpError::Api(match error {
                ApiCheckError::Body(BodyError::LineCount) => ApiError::LineCount(lang),
                ApiCheckError::Body(BodyError::Invalid(detail)) => {
                    ApiError::InvalidJson { detail, lang }
                }
                ApiCheckError::Quota(exceeded) => ApiError::Quota { exceeded, lang },
                ApiCheckError::Failed(error) => ApiError::App { error, lang },
            })
        }
    }

    /// An app error for a program, in `lang`.
    pub fn api(lang: Lang) -> impl Fn(AppError) -> HttpError {
        move |error| HttpError::Api(ApiError::App { error, lang })
    }
}

impl From<ApiError> for HttpError {
    fn from(error: ApiError) -> Self {
        HttpError::Api(error)
    }
}

impl From<TokenRefusal> for HttpError {
    fn from(refusal: TokenRefusal) -> Self {
        HttpError::Api(match refusal {
            TokenRefusal::Missing => ApiError::Unauthorized(Msg::ApiTokenMissing),
            TokenRefusal::NotValid => ApiError::Unauthorized(Msg::ApiTokenNotValid),
            TokenRefusal::Failed(error) => ApiError::App {
                error,
                lang: Lang::En,
            },
        })
    }
}

/// The status of an app error.
fn status_of(error: &AppError) -> StatusCode {
    match error {
        AppError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
        AppError::Invalid(_) | AppError::Fields(_) => StatusCode::BAD_REQUEST,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// Adds `Retry-After: secs` to `response`.
fn with_retry_after_secs(mut response: Response, secs: u64) -> Response {
    if let Ok(value) = HeaderValue::from_str(&secs.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// Adds `Retry-After` to a 503: the database is out of reach and will be back shortly.
fn with_retry_after(mut response: Response) -> Response {
    if response.status() == StatusCode::SERVICE_UNAVAILABLE {
        response.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from_static(app::error::RETRY_AFTER_SECS),
        );
    }
    response
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        match self {
            HttpError::Page {
                error: AppError::Unauthenticated,
                ..
            } => Redirect::to("/sign-in").into_response(),
            HttpError::Page {
                error: AppError::Unavailable,
                lang,
            } => with_retry_after(
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    Html(unavailable_page_html(lang)),
                )
                    .into_response(),
            ),
            HttpError::Page { error, lang } => {
                (status_of(&error), error.user_message(lang)).into_response()
            }
            HttpError::Form { error, lang } => (
                error.status(),
                fmt::error_upload_unreadable(lang, error.body_text()),
            )
                .into_response(),
            HttpError::BatchFile { code, detail } => {
                // The detail may be the uploader's text (a column name): short and printable.
                let detail: String = detail
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(100)
                    .collect();
                let query = serde_urlencoded::to_string([("error", code), ("detail", &detail)])
                    .unwrap_or_default();
                Redirect::to(&format!("/check/batch?{query}#upload")).into_response()
            }
            HttpError::Quota { exceeded, lang } => with_retry_after_secs(
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    fmt::quota_reached(lang, exceeded.limit),
                )
                    .into_response(),
                exceeded.retry_after_secs,
            ),
            HttpError::TooLarge { limit, lang } => {
                (StatusCode::PAYLOAD_TOO_LARGE, too_large(limit, lang)).into_response()
            }
            HttpError::Api(error) => error.into_response(),
            HttpError::Unprocessable(problems) => {
                let errors: Vec<_> = problems
                    .iter()
                    .map(|(field, message)| json!({ "field": field, "message": message }))
                    .collect();
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Json(json!({ "errors": errors })),
                )
                    .into_response()
            }
        }
    }
}

/// "The request is larger than ...", naming `limit` in MB when it is a whole number of them.
fn too_large(limit: usize, lang: Lang) -> String {
    const MB: usize = 1024 * 1024;
    if limit >= MB && limit.is_multiple_of(MB) {
        fmt::request_too_large_megabytes(lang, limit / MB)
    } else {
        fmt::request_too_large_bytes(lang, limit)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = match self {
            ApiError::InvalidParameter { parameter, message } => {
                let body = json!({
                    "error": "invalid_parameter",
                    "parameter": parameter,
                    "message": t(Lang::En, message),
                    "message_es": t(Lang::Es, message),
                });
                return (StatusCode::BAD_REQUEST, Json(body)).into_response();
            }
            ApiError::Unauthorized(message) => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                t(Lang::En, message).to_string(),
            ),
            ApiError::LineCount(lang) => (
                StatusCode::BAD_REQUEST,
                "line_count",
                t(lang, Msg::ApiLineCount).to_string(),
            ),
            ApiError::InvalidJson { detail, lang } => (
                StatusCode::BAD_REQUEST,
                "invalid_json",
                fmt::api_body_not_check(lang, detail),
            ),
            ApiError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                t(Lang::En, Msg::ApiBodyTooLarge).to_string(),
            ),
            ApiError::Quota { exceeded, lang } => {
                let body = json!({
                    "error": "quota",
                    "message": fmt::quota_reached(lang, exceeded.limit),
                });
                return with_retry_after_secs(
                    (StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response(),
                    exceeded.retry_after_secs,
                );
            }
            ApiError::App { error, lang } => {
                let code = match &error {
                    AppError::Internal { .. } => "internal",
                    AppError::Forbidden => "forbidden",
                    AppError::Unauthenticated => "unauthorized",
                    AppError::Invalid(_) | AppError::Fields(_) => "invalid",
                    AppError::NotFound => "not_found",
                    AppError::Unavailable => "unavailable",
                };
                (status_of(&error), code, error.user_message(lang))
            }
        };
        let mut response =
            (status, Json(json!({ "error": code, "message": message }))).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        with_retry_after(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json_of(response: Response) -> (StatusCode, serde_json::Value) {
        let status = response.status();
        let body = futures_util::FutureExt::now_or_never(axum::body::to_bytes(
            response.into_body(),
            usize::MAX,
        ))
        .unwrap()
        .unwrap();
        (status, serde_json::from_slice(&body).unwrap())
    }

    #[test]
    fn api_errors_carry_their_codes_and_statuses() {
        let cases: [(ApiError, u16, &str); 4] = [
            (ApiError::LineCount(Lang::En), 400, "line_count"),
            (
                ApiError::InvalidJson {
                    detail: "x".into(),
                    lang: Lang::En,
                },
                400,
                "invalid_json",
            ),
            (ApiError::TooLarge, 413, "too_large"),
            (
                ApiError::Unauthorized(Msg::ApiTokenMissing),
                401,
                "unauthorized",
            ),
        ];
        for (error, status, code) in cases {
            let (got, body) = json_of(HttpError::from(error).into_response());
            assert_eq!((got.as_u16(), body["error"].as_str()), (status, Some(code)));
        }
    }

    #[test]
    fn only_the_reference_of_an_internal_failure_is_shown() {
        let error = AppError::internal("relation \"secret_table\" does not exist");
        let response = HttpError::api(Lang::En)(error.clone()).into_response();
        assert!(response.headers().get(header::WWW_AUTHENTICATE).is_none());
        let (status, body) = json_of(response);
        assert_eq!(
            (status.as_u16(), body["error"].as_str()),
            (500, Some("internal"))
        );
        let message = body["message"].as_str().unwrap();
        assert!(!message.contains("secret_table"));
        assert_eq!(message, error.user_message(Lang::En));
    }

    #[test]
    fn a_body_over_the_limit_is_refused_naming_the_limit() {
        let response = HttpError::TooLarge {
            limit: 262_144,
            lang: Lang::Es,
        }
        .into_response();
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(
            too_large(262_144, Lang::Es),
            "La solicitud supera 262144 bytes."
        );
        assert_eq!(
            too_large(8 * 1024 * 1024, Lang::En),
            "The request is larger than 8 MB."
        );
    }

    #[test]
    fn an_unreachable_database_answers_503_with_retry_after_for_people_and_programs() {
        let page = HttpError::page(Lang::En)(AppError::Unavailable).into_response();
        assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            page.headers()[header::RETRY_AFTER],
            app::error::RETRY_AFTER_SECS
        );
        let api = HttpError::api(Lang::Es)(AppError::Unavailable).into_response();
        assert_eq!(
            api.headers()[header::RETRY_AFTER],
            app::error::RETRY_AFTER_SECS
        );
        let (status, body) = json_of(api);
        assert_eq!(
            (status.as_u16(), body["error"].as_str()),
            (503, Some("unavailable"))
        );
        assert_eq!(
            body["message"].as_str(),
            Some(t(Lang::Es, Msg::ServiceUnavailable))
        );
    }

    #[test]
    fn a_person_not_signed_in_is_sent_to_sign_in() {
        let response = HttpError::page(Lang::Es)(AppError::Unauthenticated).into_response();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[header::LOCATION], "/sign-in");
        let response = HttpError::page(Lang::Es)(AppError::Forbidden).into_response();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }

    #[test]
    fn the_uploaders_text_in_a_redirect_is_cut_short() {
        let refused = UploadError::File {
            code: "unknown_column",
            detail: format!("{}\r\n", "x".repeat(10_000)),
        };
        let response = HttpError::batch(Lang::Es)(refused).into_response();
        let location = response.headers()[header::LOCATION].to_str().unwrap();
        assert_eq!(
            location,
            format!(
                "/check/batch?error=unknown_column&detail={}#upload",
                "x".repeat(100)
            )
        );
    }

    #[test]
    fn a_refused_invoice_goes_back_to_the_form() {
        let refused = UploadError::File {
            code: "missing_column",
            detail: "price".into(),
        };
        let response = HttpError::batch(Lang::Es)(refused).into_response();
        assert_eq!(
            response.headers()[header::LOCATION],
            "/check/batch?error=missing_column&detail=price#upload"
        );
    }
}
