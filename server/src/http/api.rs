//! The open-data API (`/api/v1`): published bands as JSON and CSV, and its OpenAPI description.
//! Public and read-only; parameters are parsed once here into domain types.

use axum::Json;
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use futures_util::{StreamExt, stream};
use http::header;
use serde::Deserialize;
use serde_json::json;

use app::error::AppError;
use app::features::bands::{BandFilter, PublishedBand, repo};
use app::i18n::{Lang, Msg};

use super::error::{ApiError, HttpError};
use super::state::AppState;

const DEFAULT_LIMIT: i64 = 100;
const MAX_LIMIT: i64 = 1000;
const CSV_PAGE: i64 = 5000;

#[derive(Debug, Default, Deserialize)]
pub struct BandQuery {
    hs: Option<String>,
    origin: Option<String>,
    unit: Option<String>,
    as_of: Option<String>,
    limit: Option<String>,
    after: Option<String>,
}

struct Parsed {
    filter: BandFilter,
    as_of: NaiveDate,
    limit: i64,
    after: Option<(String, String, String)>,
}

/// A parameter that could not be read, answered as 400 with its catalogue message in both
/// languages.
fn bad_parameter(parameter: &'static str, message: Msg) -> ApiError {
    ApiError::InvalidParameter { parameter, message }
}

/// Reads the query: one that cannot be read at all (a parameter given twice, say) is a bad
/// parameter like any other, answered in JSON.
fn parse(query: Result<Query<BandQuery>, QueryRejection>) -> Result<Parsed, ApiError> {
    let Query(query) = query.map_err(|_| bad_parameter("query", Msg::ApiParamQuery))?;
    let filter = BandFilter::parse(
        query.hs.as_deref(),
        query.origin.as_deref(),
        query.unit.as_deref(),
    )
    .map_err(|parameter| {
        let msg = match parameter {
            "hs" => Msg::ApiParamHs,
            "origin" => Msg::ApiParamOrigin,
            _ => Msg::ApiParamUnit,
        };
        bad_parameter(parameter, msg)
    })?;
    let as_of = match query
        .as_of
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        None => chrono::Utc::now().date_naive(),
        Some(date) => date
            .parse()
            .map_err(|_| bad_parameter("as_of", Msg::ApiParamAsOf))?,
    };
    let limit = match query.limit.as_deref() {
        None => DEFAULT_LIMIT,
        Some(text) => match text.parse::<i64>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => {
                return Err(bad_parameter("limit", Msg::ApiParamLimit));
            }
        },
    };
    let after = match query.after.as_deref().filter(|a| !a.is_empty()) {
        None => None,
        Some(cursor) => {
            let parts: Vec<&str> = cursor.split(':').collect();
            match parts[..] {
                [code, origin, unit] => Some((code.into(), origin.into(), unit.into())),
                _ => {
                    return Err(bad_parameter("after", Msg::ApiParamAfter));
                }
            }
        }
    };
    Ok(Parsed {
        filter,
        as_of,
        limit,
        after,
    })
}

fn cursor(band: &PublishedBand) -> String {
    format!("{}:{}:{}", band.tariff_code, band.origin, band.unit)
}

/// A failure of the database, answered in English like the rest of the API.
fn internal(error: sqlx::Error) -> HttpError {
    HttpError::api(Lang::En)(AppError::from(error))
}

/// `GET /api/v1/bands`: bands in force on `as_of` (default today), a page at a time.
pub async fn bands_json(
    State(state): State<AppState>,
    query: Result<Query<BandQuery>, QueryRejection>,
) -> Result<Response, HttpError> {
    let parsed = parse(query)?;
    let bands = repo::in_force(
        &state.pool,
        &parsed.filter,
        parsed.as_of,
        parsed.after,
        parsed.limit,
    )
    .await
    .map_err(internal)?;
    let next = (bands.len() as i64 == parsed.limit)
        .then(|| bands.last().map(cursor))
        .flatten();
    Ok((
        [(header::CACHE_CONTROL, "public, max-age=300")],
        Json(json!({ "as_of": parsed.as_of, "bands": bands, "next": next })),
    )
        .into_response())
}

pub const CSV_HEADER: [&str; 17] = [
    "tariff_code",
    "origin",
    "origin_name_es",
    "origin_name_en",
    "unit",
    "currency",
    "n",
    "n_trimmed",
    "p10",
    "p25",
    "median",
    "p75",
    "p90",
    "period_from",
    "period_to",
    "effective_from",
    "version",
];

/// The bands as CSV lines. The names come from imported reference data: a name a spreadsheet
/// would run as a formula starts with an apostrophe.
fn csv_rows(bands: &[PublishedBand], with_header: bool) -> Vec<u8> {
    use app::server::spreadsheet::inert;
    let mut writer = csv::Writer::from_writer(Vec::new());
    if with_header {
        writer.write_record(CSV_HEADER).ok();
    }
    for b in bands {
        writer
            .write_record([
                b.tariff_code.clone(),
                b.origin.clone(),
                inert(b.origin_name_es.as_deref().unwrap_or_default()),
                inert(b.origin_name_en.as_deref().unwrap_or_default()),
                b.unit.clone(),
                b.currency.clone(),
                b.n.to_string(),
                b.n_trimmed.to_string(),
                b.p10.to_string(),
                b.p25.to_string(),
                b.median.to_string(),
                b.p75.to_string(),
                b.p90.to_string(),
                b.period_from.to_string(),
                b.period_to.to_string(),
                b.effective_from.to_string(),
                b.version.to_string(),
            ])
            .ok();
    }
    writer.into_inner().unwrap_or_default()
}

/// `GET /api/v1/bands.csv`: every band in force matching the filters, streamed page by page so
/// a million bands never sit in memory at once.
pub async fn bands_csv(
    State(state): State<AppState>,
    query: Result<Query<BandQuery>, QueryRejection>,
) -> Result<Response, HttpError> {
    let parsed = parse(query)?;
    let first = repo::in_force(&state.pool, &parsed.filter, parsed.as_of, None, CSV_PAGE)
        .await
        .map_err(internal)?;
    let filename = format!("valora-bands-{}.csv", parsed.as_of);
    let head = csv_rows(&first, true);
    let after = (first.len() as i64 == CSV_PAGE)
        .then(|| first.last().map(cursor))
        .flatten();
    let rest = stream::unfold(
        (state.pool.clone(), parsed.filter, parsed.as_of, after),
        |(pool, filter, as_of, after)| async move {
            let after = after?;
            let parts: Vec<String> = after.split(':').map(str::to_string).collect();
            let key = (parts[0].clone(), parts[1].clone(), parts[2].clone());
            match repo::in_force(&pool, &filter, as_of, Some(key), CSV_PAGE).await {
                Ok(page) if !page.is_empty() => {
                    let next = (page.len() as i64 == CSV_PAGE)
                        .then(|| page.last().map(cursor))
                        .flatten();
                    Some((
                        Ok::<_, std::io::Error>(csv_rows(&page, false)),
                        (pool, filter, as_of, next),
                    ))
                }
                Ok(_) => None,
                Err(e) => {
                    tracing::error!(error = %e, "band CSV page failed");
                    Some((
                        Err(std::io::Error::other("database")),
                        (pool, filter, as_of, None),
                    ))
                }
            }
        },
    );
    let body = Body::from_stream(stream::iter([Ok(head)]).chain(rest));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "public, max-age=300".to_string()),
        ],
        body,
    )
        .into_response())
}

/// `GET /api/v1/openapi.json`.
pub async fn openapi() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("openapi.json"),
    )
        .into_response()
}
