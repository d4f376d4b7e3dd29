//! Configuration from environment variables, each with a documented default (see README).

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use url::Url;

#[derive(Clone, Debug)]
pub struct Config {
    /// `VALORA_LISTEN_ADDR`, default `127.0.0.1:3000`.
    pub listen_addr: SocketAddr,
    /// `DATABASE_URL`; when unset the embedded cluster in `data_dir` is used.
    pub database_url: Option<String>,
    /// `VALORA_DATA_DIR`, default `.valora`: the embedded cluster and other local state.
    pub data_dir: PathBuf,
    /// `VALORA_PG_BIN`: the folder holding `initdb` and `pg_ctl`; found automatically when unset.
    pub pg_bin: Option<PathBuf>,
    /// `VALORA_PUBLIC_URL`, default `http://<listen address>`: the origin browsers use. Decides
    /// which `Origin` is same-site and, later, the links in emails and the cookie flags.
    pub public_url: Option<Url>,
    /// `SMTP_URL`, e.g. `smtp://localhost:2525`; unset means no mail is sent yet.
    pub smtp_url: Option<String>,
    /// `VALORA_DEMO`, default `false`: seed demonstration data.
    pub demo: bool,
    /// `VALORA_BUILTIN_REFERENCE`, default `true`: at start-up, load the built-in HS 2022
    /// nomenclature, countries, currencies and UN/ECE units into whichever of their tables is
    /// empty (see `reference_data`).
    pub builtin_reference: bool,
    /// `VALORA_SITE_ROOT` (or cargo-leptos's `LEPTOS_SITE_ROOT`), default `target/site`.
    pub site_root: PathBuf,
    /// The content hashes of the site's files (`hash.txt`, which cargo-leptos writes beside the
    /// server binary; looked for there); none: the files' names carry no hash.
    pub hash_file: Option<PathBuf>,
    /// `VALORA_MAX_BODY_BYTES`, default 262144 (256 KiB) for forms and server functions.
    pub max_body_bytes: usize,
    /// `VALORA_MAX_UPLOAD_BYTES`, default 104857600 (100 MiB): the reference-data upload. Larger
    /// record files go through `valora-server import-records`, which streams from disk.
    pub max_upload_bytes: usize,
    /// `VALORA_DB_MAX_CONNECTIONS`, default 10.
    pub db_max_connections: u32,
    /// `VALORA_LOG_FORMAT`: `text` (default) or `json`.
    pub log_json: bool,
    /// `VALORA_SESSION_IDLE_SECS`, default 1800 (30 minutes).
    pub session_idle: Duration,
    /// `VALORA_SESSION_ABSOLUTE_SECS`, default 43200 (12 hours).
    pub session_absolute: Duration,
    /// `VALORA_SIGN_IN_FAILURES`, default 5: failed sign-ins allowed per account and per client
    /// address within `VALORA_SIGN_IN_WINDOW_SECS` (default 60).
    pub sign_in_failures: u32,
    pub sign_in_window: Duration,
    /// `VALORA_MAILS_PER_ADDRESS`, default 3 verification or reset emails per address within
    /// `VALORA_MAIL_WINDOW_SECS` (default 3600).
    pub mails_per_address: u32,
    pub mail_window: Duration,
    /// `VALORA_REGISTRATIONS_PER_CLIENT`, default 10 sign-ups per client address within
    /// `VALORA_REGISTRATION_WINDOW_SECS` (default 3600).
    pub registrations_per_client: u32,
    pub registration_window: Duration,
    /// `VALORA_HASH_CONCURRENCY`, default twice the cores: password hashes (19 MiB each) running
    /// at once; a request that waits more than `VALORA_HASH_WAIT_MS` (default 5000) for one is
    /// answered 503.
    pub hash_concurrency: usize,
    pub hash_wait: Duration,
    /// `VALORA_CUSTOMS_NAME` (default `SUNAT`) and `VALORA_CUSTOMS_TAX_ID` (default SUNAT's RUC,
    /// `20131312955`): the customs administration, created at first start so that its RUC is
    /// reserved (the public can never register it) and customs staff have their organisation.
    pub customs_name: String,
    pub customs_tax_id: String,
    /// `VALORA_BATCHES_PER_DAY` (default 200) and `VALORA_API_LINES_PER_DAY` (default 200,000):
    /// what one organisation may check per day in batch files and through the checks API.
    pub quotas: app::server::quota::Quotas,
    /// `VALORA_MAX_IN_FLIGHT`, default 256: requests served at once. One more is answered 503
    /// with `Retry-After` at once (load shedding) instead of queueing until it times out.
    pub max_in_flight: usize,
    /// `VALORA_API_TOKEN_MAX_DAYS`, default 365: the longest an API token may be valid.
    pub api_token_max_days: u32,
    /// `VALORA_TRUSTED_PROXIES`: comma-separated addresses of reverse proxies whose
    /// `X-Forwarded-For` is believed; by default none, so the client address is the peer's.
    pub trusted_proxies: Vec<IpAddr>,
    /// `VALORA_MAIL_POLL_MS`, default 1000: how often the mail worker looks at the outbox.
    pub mail_poll: Duration,
    /// `VALORA_HEADER_READ_TIMEOUT_SECS`, default 10: a connection that has not sent its request
    /// headers by then is closed.
    pub header_read_timeout: Duration,
    /// Band rules: `VALORA_BASE_CURRENCY` (default USD), `VALORA_BAND_MIN_SAMPLE` (10),
    /// `VALORA_BAND_IQR_FACTOR` (3), `VALORA_BAND_CODE_LEVEL` (6), `VALORA_RATE_MAX_AGE_DAYS` (7),
    /// `VALORA_VALUATION_BASIS` (`cif`, or `fob`).
    pub bands: app::server::settings::BandSettings,
    /// Supporting documents: `VALORA_DOCUMENT_MAX_BYTES` (20 MiB), `VALORA_DOCUMENT_MAX_FILES`
    /// (20), `VALORA_ARCHIVE_MAX_UNPACKED_BYTES` (200 MiB), `VALORA_ARCHIVE_MAX_ENTRIES` (2000),
    /// `VALORA_DRAFT_DAYS` (28), `VALORA_CLAMD` (`unix:/path` or `tcp:host:port`; unset: no
    /// scanning, documents shown as not scanned).
    pub documents: app::server::settings::DocumentSettings,
    /// Customs cases: `VALORA_RESPONSE_DAYS` (`valuation=10,evidence=5,procedure=5`),
    /// `VALORA_REQUEST_PERIOD_DAYS` (5), `VALORA_EXTENSION_MAX_DAYS` (5),
    /// `VALORA_CASE_REOPEN_DAYS` (30), `VALORA_REMINDER_DAYS` (3), `VALORA_CUSTOMS_SENDER`
    /// (`officer` or `team`), `VALORA_TIME_ZONE` (`America/Lima`).
    pub cases: app::server::settings::CaseSettings,
    /// `VALORA_MAIL_MAX_ATTEMPTS`, default 8: a message failing this many times is marked
    /// failed and no longer retried.
    pub mail_max_attempts: u32,
}

#[derive(Debug, thiserror::Error)]
#[error("configuration: {name} = {value:?} is not valid: {reason}")]
pub struct ConfigError {
    pub name: &'static str,
    pub value: String,
    pub reason: String,
}

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Reads settings through `lookup`, so tests can supply their own environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        fn parse<T: std::str::FromStr>(name: &'static str, value: String) -> Result<T, ConfigError>
        where
            T::Err: std::fmt::Display,
        {
            value.parse().map_err(|e: T::Err| ConfigError {
                name,
                value,
                reason: e.to_string(),
            })
        }
        let get = |name: &'static str| lookup(name);
        let listen_addr = match get("VALORA_LISTEN_ADDR") {
            Some(v) => parse("VALORA_LISTEN_ADDR", v)?,
            None => SocketAddr::from(([127, 0, 0, 1], 3000)),
        };
        let public_url = match get("VALORA_PUBLIC_URL") {
            Some(v) => {
                let url: Url = parse("VALORA_PUBLIC_URL", v.clone())?;
                if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
                    return Err(ConfigError {
                        name: "VALORA_PUBLIC_URL",
                        value: v,
                        reason: "must be an http or https URL".into(),
                    });
                }
                Some(url)
            }
            None => None,
        };
        let demo = match get("VALORA_DEMO") {
            Some(v) => parse_bool("VALORA_DEMO", v)?,
            None => false,
        };
        let builtin_reference = match get("VALORA_BUILTIN_REFERENCE") {
            Some(v) => parse_bool("VALORA_BUILTIN_REFERENCE", v)?,
            None => true,
        };
        let log_json = match get("VALORA_LOG_FORMAT").as_deref() {
            None | Some("text") => false,
            Some("json") => true,
            Some(other) => {
                return Err(ConfigError {
                    name: "VALORA_LOG_FORMAT",
                    value: other.into(),
                    reason: "use text or json".into(),
                });
            }
        };
        let mut bands = app::server::settings::BandSettings::default();
        if let Some(v) = get("VALORA_BASE_CURRENCY") {
            if iso_currency::Currency::from_code(&v).is_none() {
                return Err(ConfigError {
                    name: "VALORA_BASE_CURRENCY",
                    value: v,
                    reason: "must be an ISO 4217 currency code".into(),
                });
            }
            bands.base_currency = v;
        }
        if let Some(v) = get("VALORA_BAND_MIN_SAMPLE") {
            bands.rule.min_sample = parse("VALORA_BAND_MIN_SAMPLE", v)?;
        }
        if let Some(v) = get("VALORA_BAND_IQR_FACTOR") {
            bands.rule.iqr_factor = parse("VALORA_BAND_IQR_FACTOR", v)?;
        }
        if let Some(v) = get("VALORA_BAND_CODE_LEVEL") {
            bands.code_level = parse("VALORA_BAND_CODE_LEVEL", v.clone())?;
            if ![4, 6, 8, 10].contains(&bands.code_level) {
                return Err(ConfigError {
                    name: "VALORA_BAND_CODE_LEVEL",
                    value: v,
                    reason: "use 4, 6, 8 or 10".into(),
                });
            }
        }
        match get("VALORA_VALUATION_BASIS").as_deref() {
            None | Some("cif") | Some("CIF") => {}
            Some("fob") | Some("FOB") => bands.basis = app::domain::engine::Basis::Fob,
            Some(other) => {
                return Err(ConfigError {
                    name: "VALORA_VALUATION_BASIS",
                    value: other.into(),
                    reason: "use cif or fob".into(),
                });
            }
        }
        if let Some(v) = get("VALORA_RATE_MAX_AGE_DAYS") {
            bands.rate_max_age_days = parse("VALORA_RATE_MAX_AGE_DAYS", v)?;
        }
        let mut documents = app::server::settings::DocumentSettings::default();
        if let Some(v) = get("VALORA_DOCUMENT_MAX_BYTES") {
            documents.max_file_bytes = parse("VALORA_DOCUMENT_MAX_BYTES", v)?;
        }
        if let Some(v) = get("VALORA_DOCUMENT_MAX_FILES") {
            documents.max_files = parse("VALORA_DOCUMENT_MAX_FILES", v)?;
        }
        if let Some(v) = get("VALORA_ARCHIVE_MAX_UNPACKED_BYTES") {
            documents.max_unpacked_bytes = parse("VALORA_ARCHIVE_MAX_UNPACKED_BYTES", v)?;
        }
        if let Some(v) = get("VALORA_ARCHIVE_MAX_ENTRIES") {
            documents.max_archive_entries = parse("VALORA_ARCHIVE_MAX_ENTRIES", v)?;
        }
        if let Some(v) = get("VALORA_DRAFT_DAYS") {
            documents.draft_days = parse("VALORA_DRAFT_DAYS", v)?;
        }
        if let Some(v) = get("VALORA_CLAMD").filter(|v| !v.trim().is_empty()) {
            if !(v.starts_with("unix:") || v.starts_with("tcp:")) {
                return Err(ConfigError {
                    name: "VALORA_CLAMD",
                    value: v,
                    reason: "use unix:/path/to/clamd.ctl or tcp:host:port".into(),
                });
            }
            documents.clamd = Some(v);
        }
        let cases = cases_settings(&get)?;
        let mail_max_attempts = match get("VALORA_MAIL_MAX_ATTEMPTS") {
            Some(v) => parse("VALORA_MAIL_MAX_ATTEMPTS", v)?,
            None => 8,
        };
        Ok(Config {
            bands,
            documents,
            cases,
            mail_max_attempts,
            listen_addr,
            database_url: get("DATABASE_URL"),
            data_dir: get("VALORA_DATA_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(".valora")),
            pg_bin: get("VALORA_PG_BIN").map(PathBuf::from),
            public_url,
            smtp_url: get("SMTP_URL"),
            demo,
            builtin_reference,
            site_root: get("VALORA_SITE_ROOT")
                .or_else(|| get("LEPTOS_SITE_ROOT"))
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("target/site")),
            hash_file: app::server::assets::beside_binary(),
            max_body_bytes: match get("VALORA_MAX_BODY_BYTES") {
                Some(v) => parse("VALORA_MAX_BODY_BYTES", v)?,
                None => 256 * 1024,
            },
            max_upload_bytes: match get("VALORA_MAX_UPLOAD_BYTES") {
                Some(v) => parse("VALORA_MAX_UPLOAD_BYTES", v)?,
                None => 100 * 1024 * 1024,
            },
            db_max_connections: match get("VALORA_DB_MAX_CONNECTIONS") {
                Some(v) => parse("VALORA_DB_MAX_CONNECTIONS", v)?,
                None => 10,
            },
            log_json,
            session_idle: secs(&get, "VALORA_SESSION_IDLE_SECS", 1800)?,
            session_absolute: secs(&get, "VALORA_SESSION_ABSOLUTE_SECS", 43_200)?,
            sign_in_failures: match get("VALORA_SIGN_IN_FAILURES") {
                Some(v) => parse("VALORA_SIGN_IN_FAILURES", v)?,
                None => 5,
            },
            sign_in_window: secs(&get, "VALORA_SIGN_IN_WINDOW_SECS", 60)?,
            mails_per_address: match get("VALORA_MAILS_PER_ADDRESS") {
                Some(v) => parse("VALORA_MAILS_PER_ADDRESS", v)?,
                None => 3,
            },
            mail_window: secs(&get, "VALORA_MAIL_WINDOW_SECS", 3600)?,
            registrations_per_client: match get("VALORA_REGISTRATIONS_PER_CLIENT") {
                Some(v) => parse("VALORA_REGISTRATIONS_PER_CLIENT", v)?,
                None => 10,
            },
            registration_window: secs(&get, "VALORA_REGISTRATION_WINDOW_SECS", 3600)?,
            hash_concurrency: match get("VALORA_HASH_CONCURRENCY") {
                Some(v) => parse("VALORA_HASH_CONCURRENCY", v)?,
                None => app::server::password::Hashing::default_concurrency(),
            },
            quotas: app::server::quota::Quotas {
                batches_per_day: match get("VALORA_BATCHES_PER_DAY") {
                    Some(v) => parse("VALORA_BATCHES_PER_DAY", v)?,
                    None => app::server::quota::Quotas::default().batches_per_day,
                },
                api_lines_per_day: match get("VALORA_API_LINES_PER_DAY") {
                    Some(v) => parse("VALORA_API_LINES_PER_DAY", v)?,
                    None => app::server::quota::Quotas::default().api_lines_per_day,
                },
            },
            max_in_flight: match get("VALORA_MAX_IN_FLIGHT") {
                Some(v) => parse("VALORA_MAX_IN_FLIGHT", v)?,
                None => 256,
            },
            customs_name: get("VALORA_CUSTOMS_NAME").unwrap_or_else(|| "SUNAT".into()),
            customs_tax_id: get("VALORA_CUSTOMS_TAX_ID").unwrap_or_else(|| "20131312955".into()),
            api_token_max_days: match get("VALORA_API_TOKEN_MAX_DAYS") {
                Some(v) => parse("VALORA_API_TOKEN_MAX_DAYS", v)?,
                None => 365,
            },
            hash_wait: Duration::from_millis(match get("VALORA_HASH_WAIT_MS") {
                Some(v) => parse("VALORA_HASH_WAIT_MS", v)?,
                None => 5000,
            }),
            trusted_proxies: match get("VALORA_TRUSTED_PROXIES") {
                Some(list) => list
                    .split(',')
                    .map(|ip| parse("VALORA_TRUSTED_PROXIES", ip.trim().to_string()))
                    .collect::<Result<_, _>>()?,
                None => Vec::new(),
            },
            header_read_timeout: secs(&get, "VALORA_HEADER_READ_TIMEOUT_SECS", 10)?,
            mail_poll: Duration::from_millis(match get("VALORA_MAIL_POLL_MS") {
                Some(v) => parse("VALORA_MAIL_POLL_MS", v)?,
                None => 1000,
            }),
        })
    }
}

fn secs(
    get: &impl Fn(&'static str) -> Option<String>,
    name: &'static str,
    default: u64,
) -> Result<Duration, ConfigError> {
    match get(name) {
        Some(value) => {
            value
                .parse()
                .map(Duration::from_secs)
                .map_err(|e: std::num::ParseIntError| ConfigError {
                    name,
                    value,
                    reason: e.to_string(),
                })
        }
        None => Ok(Duration::from_secs(default)),
    }
}

fn parse_bool(name: &'static str, value: String) -> Result<bool, ConfigError> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(ConfigError {
            name,
            value,
            reason: "use true or false".into(),
        }),
    }
}

/// The customs case settings from the environment (Peru's defaults otherwise).
fn cases_settings(
    get: &dyn Fn(&'static str) -> Option<String>,
) -> Result<app::server::settings::CaseSettings, ConfigError> {
    use app::domain::cases::QueryCategory;
    use app::server::settings::{CaseSettings, CustomsSender};
    let mut cases = CaseSettings::default();
    let number = |name: &'static str, v: String| -> Result<u32, ConfigError> {
        match v.trim().parse::<u32>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(ConfigError {
                name,
                value: v,
                reason: "use a whole number of days above 0".into(),
            }),
        }
    };
    if let Some(v) = get("VALORA_RESPONSE_DAYS") {
        let mut days = Vec::new();
        for part in v.split(',').filter(|p| !p.trim().is_empty()) {
            let parsed = part.split_once('=').and_then(|(c, d)| {
                Some((
                    QueryCategory::parse(c.trim())?,
                    d.trim().parse::<u32>().ok()?,
                ))
            });
            match parsed {
                Some((c, d)) if d > 0 => days.push((c, d)),
                _ => {
                    return Err(ConfigError {
                        name: "VALORA_RESPONSE_DAYS",
                        value: v,
                        reason: "use category=days pairs, e.g. valuation=10,evidence=5,procedure=5"
                            .into(),
                    });
                }
            }
        }
        for (c, d) in days {
            match cases.response_days.iter_mut().find(|(k, _)| *k == c) {
                Some(slot) => slot.1 = d,
                None => cases.response_days.push((c, d)),
            }
        }
    }
    if let Some(v) = get("VALORA_REQUEST_PERIOD_DAYS") {
        cases.request_period_days = number("VALORA_REQUEST_PERIOD_DAYS", v)?;
    }
    if let Some(v) = get("VALORA_EXTENSION_MAX_DAYS") {
        cases.extension_max_days = number("VALORA_EXTENSION_MAX_DAYS", v)?;
    }
    if let Some(v) = get("VALORA_CASE_REOPEN_DAYS") {
        cases.reopen_days = number("VALORA_CASE_REOPEN_DAYS", v)?;
    }
    if let Some(v) = get("VALORA_REMINDER_DAYS") {
        cases.reminder_days = number("VALORA_REMINDER_DAYS", v)?;
    }
    if let Some(v) = get("VALORA_CUSTOMS_SENDER") {
        cases.sender = match v.trim() {
            "officer" => CustomsSender::Officer,
            "team" => CustomsSender::Team,
            _ => {
                return Err(ConfigError {
                    name: "VALORA_CUSTOMS_SENDER",
                    value: v,
                    reason: "use officer or team".into(),
                });
            }
        };
    }
    if let Some(v) = get("VALORA_TIME_ZONE") {
        cases.time_zone = v.trim().parse().map_err(|_| ConfigError {
            name: "VALORA_TIME_ZONE",
            value: v.clone(),
            reason: "use an IANA time zone name such as America/Lima".into(),
        })?;
    }
    Ok(cases)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let env: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| env.get(name).cloned())
    }

    #[test]
    fn defaults_are_documented_values() {
        let c = config(&[]).unwrap();
        assert_eq!(c.listen_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.database_url, None);
        assert_eq!(c.data_dir, PathBuf::from(".valora"));
        assert!(!c.demo);
        assert!(c.builtin_reference);
        assert_eq!(c.max_body_bytes, 262_144);
    }

    #[test]
    fn bad_values_name_the_variable() {
        let e = config(&[("VALORA_LISTEN_ADDR", "nowhere")]).unwrap_err();
        assert_eq!(e.name, "VALORA_LISTEN_ADDR");
        let e = config(&[("VALORA_PUBLIC_URL", "ftp://x")]).unwrap_err();
        assert_eq!(e.name, "VALORA_PUBLIC_URL");
        let e = config(&[("VALORA_DEMO", "maybe")]).unwrap_err();
        assert_eq!(e.name, "VALORA_DEMO");
        let e = config(&[("VALORA_BUILTIN_REFERENCE", "sometimes")]).unwrap_err();
        assert_eq!(e.name, "VALORA_BUILTIN_REFERENCE");
    }

    #[test]
    fn reads_given_values() {
        let c = config(&[
            ("VALORA_DEMO", "true"),
            ("VALORA_PUBLIC_URL", "https://valora.example.pe"),
            ("VALORA_BUILTIN_REFERENCE", "off"),
        ])
        .unwrap();
        assert!(c.demo);
        assert!(!c.builtin_reference);
        assert_eq!(
            c.public_url.unwrap().origin().ascii_serialization(),
            "https://valora.example.pe"
        );
    }
}
