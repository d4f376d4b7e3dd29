//! Guidance bands as published: the public lookup (search, a tariff line's bands, one band with
//! its history) and the open data. Computing and publishing them is `band_runs`.
//! Looking bands up is public (open data): those server functions ask no caller check.

#[cfg(feature = "ssr")]
pub mod repo;

pub mod pages;

use chrono::NaiveDate;
use leptos::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::i18n::Lang;

/// A band as published: one comparability key in one version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PublishedBand {
    pub tariff_code: String,
    /// ISO 3166 alpha-2.
    pub origin: String,
    pub origin_name_es: Option<String>,
    pub origin_name_en: Option<String>,
    /// UN/ECE code of the band unit (KGM, NIU, PR, LTR, MTK, MTR).
    pub unit: String,
    pub currency: String,
    pub n: i32,
    pub n_trimmed: i32,
    pub p10: Decimal,
    pub p25: Decimal,
    pub median: Decimal,
    pub p75: Decimal,
    pub p90: Decimal,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub effective_from: NaiveDate,
    /// The run that computed it.
    pub version: i64,
}

impl PublishedBand {
    pub fn origin_name(&self, lang: Lang) -> &str {
        let name = match lang {
            Lang::Es => &self.origin_name_es,
            Lang::En => &self.origin_name_en,
        };
        name.as_deref().unwrap_or(&self.origin)
    }

    pub fn href(&self) -> String {
        format!("/bands/{}/{}/{}", self.tariff_code, self.origin, self.unit)
    }
}

/// Filters of the open-data API and the CSV download, parsed once at the edge.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BandFilter {
    /// Digits of a tariff code (2 to 10).
    pub hs: Option<String>,
    pub origin: Option<String>,
    pub unit: Option<String>,
}

impl BandFilter {
    /// Empty parameters count as absent; an invalid one names the parameter.
    pub fn parse(
        hs: Option<&str>,
        origin: Option<&str>,
        unit: Option<&str>,
    ) -> Result<BandFilter, &'static str> {
        fn present(v: Option<&str>) -> Option<&str> {
            v.map(str::trim).filter(|v| !v.is_empty())
        }
        let hs = match present(hs) {
            None => None,
            Some(code) => {
                let digits: String = code.chars().filter(|c| !matches!(c, '.' | ' ')).collect();
                if !(2..=10).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit())
                {
                    return Err("hs");
                }
                Some(digits)
            }
        };
        let origin = match present(origin) {
            None => None,
            Some(o) if o.len() == 2 && o.bytes().all(|b| b.is_ascii_alphabetic()) => {
                Some(o.to_ascii_uppercase())
            }
            Some(_) => return Err("origin"),
        };
        let unit = match present(unit) {
            None => None,
            Some(u)
                if (1..=3).contains(&u.len()) && u.bytes().all(|b| b.is_ascii_alphanumeric()) =>
            {
                Some(u.to_ascii_uppercase())
            }
            Some(_) => return Err("unit"),
        };
        Ok(BandFilter { hs, origin, unit })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct TariffHit {
    pub code: String,
    pub description_es: Option<String>,
    pub description_en: Option<String>,
    /// Bands in force for this line (its own or its subheading's).
    pub bands: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct TariffLineView {
    pub code: String,
    pub description_es: Option<String>,
    pub description_en: Option<String>,
}

impl TariffLineView {
    pub fn description(&self, lang: Lang) -> &str {
        let (first, second) = match lang {
            Lang::Es => (&self.description_es, &self.description_en),
            Lang::En => (&self.description_en, &self.description_es),
        };
        first.as_deref().or(second.as_deref()).unwrap_or_default()
    }
}

pub fn description_of(hit: &TariffHit, lang: Lang) -> &str {
    let (first, second) = match lang {
        Lang::Es => (&hit.description_es, &hit.description_en),
        Lang::En => (&hit.description_en, &hit.description_es),
    };
    first.as_deref().or(second.as_deref()).unwrap_or_default()
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct RunView {
    pub id: i64,
    pub status: String,
    pub code_level: i16,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub records_used: i64,
    pub bands_computed: i32,
    pub keys_too_few: i32,
    pub compute_ms: i64,
    pub computed_at: String,
    pub effective_from: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct BandComparison {
    pub tariff_code: String,
    pub origin: String,
    pub unit: String,
    pub new_n: Option<i32>,
    pub new_p10: Option<Decimal>,
    pub new_median: Option<Decimal>,
    pub new_p90: Option<Decimal>,
    pub old_n: Option<i32>,
    pub old_p10: Option<Decimal>,
    pub old_median: Option<Decimal>,
    pub old_p90: Option<Decimal>,
    pub median_change_pct: Option<Decimal>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TariffSearch {
    pub hits: Vec<TariffHit>,
    /// The query could not be read (too short, only punctuation).
    pub unreadable: bool,
}

pub const SEARCH_LIMIT: i64 = 60;

#[server(prefix = "/api", endpoint = "search-tariff", input = server_fn::codec::GetUrl)]
pub async fn search_tariff(q: String) -> Result<TariffSearch, AppError> {
    use crate::domain::search::parse_query;
    let Some(query) = parse_query(&q) else {
        return Ok(TariffSearch {
            hits: Vec::new(),
            unreadable: !q.trim().is_empty(),
        });
    };
    let pool = crate::server::context::pool()?;
    let today = chrono::Utc::now().date_naive();
    let hits = repo::search(&pool, &query, today, SEARCH_LIMIT).await?;
    Ok(TariffSearch {
        hits,
        unreadable: false,
    })
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinePageData {
    /// The line and its parents, most general first; empty for an unknown code.
    pub lines: Vec<TariffLineView>,
    pub bands: Vec<PublishedBand>,
    pub as_of: NaiveDate,
}

/// The bands in force for a tariff line (its own, its subheading's, or those under it).
#[server(prefix = "/api", endpoint = "line-bands", input = server_fn::codec::GetUrl)]
pub async fn line_bands(code: String) -> Result<LinePageData, AppError> {
    let filter = BandFilter::parse(Some(&code), None, None).map_err(|_| AppError::not_found())?;
    let code = filter.hs.clone().unwrap_or_default();
    let pool = crate::server::context::pool()?;
    let as_of = chrono::Utc::now().date_naive();
    let lines = repo::tariff_line(&pool, &code).await?;
    let bands = repo::in_force(&pool, &filter, as_of, None, 500).await?;
    if lines.is_empty() && bands.is_empty() {
        return Err(AppError::not_found());
    }
    Ok(LinePageData {
        lines,
        bands,
        as_of,
    })
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BandPageData {
    pub band: Option<PublishedBand>,
    pub history: Vec<PublishedBand>,
    pub lines: Vec<TariffLineView>,
    pub as_of: NaiveDate,
}

/// One key's band in force on `as_of` (today when absent or unreadable), with its history.
#[server(prefix = "/api", endpoint = "band-detail", input = server_fn::codec::GetUrl)]
pub async fn band_detail(
    code: String,
    origin: String,
    unit: String,
    as_of: Option<String>,
) -> Result<BandPageData, AppError> {
    let filter = BandFilter::parse(Some(&code), Some(&origin), Some(&unit))
        .map_err(|_| AppError::not_found())?;
    let (Some(code), Some(origin), Some(unit)) = (filter.hs, filter.origin, filter.unit) else {
        return Err(AppError::not_found());
    };
    let as_of = as_of
        .and_then(|d| d.parse::<NaiveDate>().ok())
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    let pool = crate::server::context::pool()?;
    let band = repo::one_in_force(&pool, &code, &origin, &unit, as_of).await?;
    let history = repo::history(&pool, &code, &origin, &unit).await?;
    if band.is_none() && history.is_empty() {
        return Err(AppError::not_found());
    }
    let lines = repo::tariff_line(&pool, &code).await?;
    Ok(BandPageData {
        band,
        history,
        lines,
        as_of,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_checked_and_normalised() {
        assert_eq!(
            BandFilter::parse(Some("0703.20"), Some("cn"), Some("kgm")),
            Ok(BandFilter {
                hs: Some("070320".into()),
                origin: Some("CN".into()),
                unit: Some("KGM".into())
            })
        );
        assert_eq!(
            BandFilter::parse(Some(""), None, Some(" ")),
            Ok(BandFilter::default())
        );
        assert_eq!(BandFilter::parse(Some("7"), None, None), Err("hs"));
        assert_eq!(BandFilter::parse(None, Some("CHN"), None), Err("origin"));
        assert_eq!(BandFilter::parse(None, None, Some("KG M")), Err("unit"));
    }
}
