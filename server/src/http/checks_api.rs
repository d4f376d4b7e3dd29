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
use app::features::batches::MAX_LINES;
use app::features::batches::file::BatchLine;
use app::features::batches::service::{LineResult, check_lines};
use app::features::check::{CheckForm, verdict_msg};
use app::i18n::{Lang, t};

use super::state::AppState;

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

/// `{"lines": [...]}`, read line by line and refused past [`MAX_LINES`], so a body of millions
/// of tiny lines never becomes millions of structs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManyLines {
    lines: BoundedLines,
}

#[derive(Debug)]
struct BoundedLines(Vec<ApiLine>);

const TOO_MANY: &str = "more than 10,000 lines";

impl<'de> Deserialize<'de> for BoundedLines {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Lines;
        impl<'de> serde::de::Visitor<'de> for Lines {
            type Value = BoundedLines;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of check lines")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<BoundedLines, A::Error> {
                let mut lines = Vec::new();
                while let Some(line) = seq.next_element::<ApiLine>()? {
                    if lines.len() == MAX_LINES {
                        return Err(serde::de::Error::custom(TOO_MANY));
                    }
                    lines.push(line);
                }
                Ok(BoundedLines(lines))
            }
        }
        d.deserialize_seq(Lines)
    }
}

/// The lines of a body: many (`{"lines": [...]}`) or one (a line's own fields).
fn parse_lines(body: &[u8]) -> Result<Vec<ApiLine>, serde_json::Error> {
    match serde_json::from_slice::<ManyLines>(body) {
        Ok(many) => Ok(many.lines.0),
        // Not the many-lines shape: the first key told (cheaply), so read it as one line.
        Err(e) if e.is_data() && !e.to_string().contains(TOO_MANY) && !body_has_lines(body) => {
            serde_json::from_slice::<ApiLine>(body).map(|line| vec![line])
        }
        Err(e) => Err(e),
    }
}

fn body_has_lines(body: &[u8]) -> bool {
    body.windows(7).any(|w| w == b"\"lines\"")
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
    body: axum::body::Body,
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
    // Read only once the caller is known (the layer limits the size).
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(_) => {
            return refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "The body is too large.",
            );
        }
    };
    let lines = match parse_lines(&body) {
        Ok(lines) => lines,
        Err(e) if e.to_string().contains(TOO_MANY) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "line_count",
                "Send 1 to 10,000 lines.",
            );
        }
        Err(e) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                &format!("The body is not a check: {e}"),
            );
        }
    };
    if lines.is_empty() {
        return refuse(
            StatusCode::BAD_REQUEST,
            "line_count",
            "Send 1 to 10,000 lines.",
        );
    }
    let lang = language(&headers);
    let lines: Vec<BatchLine> = lines
        .into_iter()
        .enumerate()
        .map(|(i, line)| BatchLine {
            line: i + 1,
            form: line.into(),
            problems: Vec::new(),
        })
        .collect();
    let checked = match check_lines(&state.pool, &state.settings.bands, lines, lang).await {
        Ok(checked) => checked,
        Err(other) => {
            return refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                &other.user_message(lang),
            );
        }
    };
    let results: Vec<Value> = checked
        .into_iter()
        .map(|LineResult { line, result, .. }| match result {
            Ok(outcome) => {
                let v = &outcome.valuation;
                json!({
                    "line": line,
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
                })
            }
            Err(problems) => {
                let errors: Vec<Value> = problems
                    .into_iter()
                    .map(|(field, message)| json!({ "field": field, "message": message }))
                    .collect();
                json!({ "line": line, "errors": errors })
            }
        })
        .collect();
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({ "results": results })),
    )
        .into_response()
}
