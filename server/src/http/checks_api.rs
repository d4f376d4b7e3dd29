//! `POST /api/v1/checks`: the value check for one line or many (up to 10,000), as JSON, for an
//! organisation's systems. Authenticated by `Authorization: Bearer <token>` (tokens are created
//! and revoked on the account page; a revoked token is refused on its next request). Each line
//! runs through exactly the code the check page uses, so the verdict is the same.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, StatusCode, header};
use serde::Deserialize;
use serde_json::{Value, json};

use app::error::AppError;
use app::features::check::repo::{Lookups, run_with};
use app::features::check::{CheckForm, verdict_msg};
use app::i18n::{Lang, t};

use super::state::AppState;

pub const MAX_LINES: usize = 10_000;

/// A field that may be sent as a JSON string or number.
fn text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => s,
        Value::Number(n) => n.to_string(),
        Value::Null => String::new(),
        other => other.to_string(),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct ApiLine {
    #[serde(deserialize_with = "text")]
    hs: String,
    #[serde(deserialize_with = "text")]
    origin: String,
    #[serde(deserialize_with = "text")]
    incoterm: String,
    #[serde(deserialize_with = "text")]
    date: String,
    #[serde(deserialize_with = "text")]
    quantity: String,
    #[serde(deserialize_with = "text")]
    unit: String,
    #[serde(deserialize_with = "text")]
    currency: String,
    #[serde(deserialize_with = "text")]
    price: String,
    #[serde(deserialize_with = "text")]
    pre_carriage: String,
    #[serde(deserialize_with = "text")]
    freight: String,
    #[serde(deserialize_with = "text")]
    insurance: String,
    #[serde(deserialize_with = "text")]
    commissions: String,
    #[serde(deserialize_with = "text")]
    packing: String,
    #[serde(deserialize_with = "text")]
    assists: String,
    #[serde(deserialize_with = "text")]
    royalties: String,
    #[serde(deserialize_with = "text")]
    proceeds: String,
    #[serde(deserialize_with = "text")]
    post_import: String,
    related: bool,
    reasons: Vec<String>,
}

impl From<ApiLine> for CheckForm {
    fn from(l: ApiLine) -> CheckForm {
        CheckForm {
            hs: l.hs,
            origin: l.origin,
            incoterm: l.incoterm,
            date: l.date,
            quantity: l.quantity,
            unit: l.unit,
            currency: l.currency,
            price: l.price,
            pre_carriage: l.pre_carriage,
            freight: l.freight,
            insurance: l.insurance,
            commissions: l.commissions,
            packing: l.packing,
            assists: l.assists,
            royalties: l.royalties,
            proceeds: l.proceeds,
            post_import: l.post_import,
            related: if l.related { "yes" } else { "no" }.into(),
            reasons: l.reasons.join(","),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Body {
    Many { lines: Vec<ApiLine> },
    One(Box<ApiLine>),
}

fn refuse(status: StatusCode, error: &str, message: &str) -> Response {
    let mut response =
        (status, Json(json!({ "error": error, "message": message }))).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            http::HeaderValue::from_static("Bearer"),
        );
    }
    response
}

fn language(headers: &HeaderMap) -> Lang {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .and_then(Lang::parse)
        .unwrap_or_default()
}

pub async fn checks(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let Some(token) = token else {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "An API token is needed: Authorization: Bearer <token>.",
        );
    };
    let hash = app::server::tokens::hash(token);
    match app::features::api_tokens::repo::organisation_of(&state.pool, &hash).await {
        Ok(Some(_organisation)) => {}
        Ok(None) => {
            return refuse(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "The API token is not valid or was revoked.",
            );
        }
        Err(e) => {
            let error = AppError::internal(e);
            return refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                &error.user_message(Lang::En),
            );
        }
    }
    let lines = match serde_json::from_slice::<Body>(&body) {
        Ok(Body::Many { lines }) => lines,
        Ok(Body::One(line)) => vec![*line],
        Err(e) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                &format!("The body is not a check: {e}"),
            );
        }
    };
    if lines.is_empty() || lines.len() > MAX_LINES {
        return refuse(
            StatusCode::BAD_REQUEST,
            "line_count",
            "Send 1 to 10,000 lines.",
        );
    }
    let lang = language(&headers);
    let mut results = Vec::with_capacity(lines.len());
    let mut lookups = Lookups::default();
    for (i, line) in lines.into_iter().enumerate() {
        let form: CheckForm = line.into();
        match run_with(
            &state.pool,
            &state.settings.bands,
            &mut lookups,
            &form,
            lang,
        )
        .await
        {
            Ok(outcome) => {
                let v = &outcome.valuation;
                results.push(json!({
                    "line": i + 1,
                    "customs_value": app::domain::valuation::format_money(v.customs_value),
                    "currency": outcome.base_currency,
                    "unit_value": v.unit_value,
                    "unit": v.band_unit,
                    "level": outcome.position.level,
                    "percentile": outcome.position.percentile,
                    "verdict": t(lang, verdict_msg(outcome.position.level)),
                    "rate": v.rate,
                    "band": outcome.band,
                    "evidence": outcome.evidence,
                    "calculation": v.lines,
                }));
            }
            Err(AppError::Fields(problems)) => {
                let errors: Vec<Value> = problems
                    .into_iter()
                    .map(|(field, message)| json!({ "field": field, "message": message }))
                    .collect();
                results.push(json!({ "line": i + 1, "errors": errors }));
            }
            Err(other) => {
                return refuse(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    &other.user_message(lang),
                );
            }
        }
    }
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({ "results": results })),
    )
        .into_response()
}
