use std::time::Duration;

/// Settings server functions need, provided in the Leptos context by the server.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `scheme://host[:port]` without a trailing slash, for links in emails.
    pub public_base: String,
    /// Cookies get `Secure` and the `__Host-` prefix when the public URL is https.
    pub https: bool,
    pub session_idle: Duration,
    pub session_absolute: Duration,
    /// Failed sign-ins allowed per account and per client address in `sign_in_window`.
    pub sign_in_failures: u32,
    pub sign_in_window: Duration,
    /// Verification and reset emails allowed per address in `mail_window`.
    pub mails_per_address: u32,
    pub mail_window: Duration,
    /// Sign-ups allowed per client address (an IPv6 client by its /64) in
    /// `registration_window`.
    pub registrations_per_client: u32,
    pub registration_window: Duration,
    /// The server runs in demo mode (`VALORA_DEMO`): organisations made now are demo data.
    pub demo: bool,
    /// Daily quotas per organisation.
    pub quotas: super::quota::Quotas,
    /// The longest an API token may be valid, in days (`VALORA_API_TOKEN_MAX_DAYS`, 365).
    pub api_token_max_days: u32,
    /// The password-hashing slots every request of this server shares.
    pub hashing: super::password::Hashing,
    pub bands: BandSettings,
    pub documents: DocumentSettings,
    pub cases: CaseSettings,
}

/// The rules of customs cases (settings, not code paths: Peru's are the defaults).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseSettings {
    /// Published response time of each query category, in working days
    /// (`VALORA_RESPONSE_DAYS`, `valuation=10,evidence=5,procedure=5`).
    pub response_days: Vec<(crate::domain::cases::QueryCategory, u32)>,
    /// Working days the importer has to answer a request for information
    /// (`VALORA_REQUEST_PERIOD_DAYS`, 5).
    pub request_period_days: u32,
    /// The longest extension an officer may grant, in working days past the due date
    /// (`VALORA_EXTENSION_MAX_DAYS`, 5).
    pub extension_max_days: u32,
    /// Calendar days after closing during which customs may reopen a case
    /// (`VALORA_CASE_REOPEN_DAYS`, 30).
    pub reopen_days: u32,
    /// Reminders go out this many working days before a due date, and on it
    /// (`VALORA_REMINDER_DAYS`, 3).
    pub reminder_days: u32,
    /// Customs messages show the officer's name, or the team's (`VALORA_CUSTOMS_SENDER`,
    /// `officer` or `team`).
    pub sender: CustomsSender,
    /// The time zone dates and the 23:59 rule are counted in (`VALORA_TIME_ZONE`,
    /// `America/Lima`).
    pub time_zone: chrono_tz::Tz,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CustomsSender {
    Officer,
    Team,
}

impl Default for CaseSettings {
    fn default() -> Self {
        use crate::domain::cases::QueryCategory;
        CaseSettings {
            response_days: vec![
                (QueryCategory::Valuation, 10),
                (QueryCategory::Evidence, 5),
                (QueryCategory::Procedure, 5),
            ],
            request_period_days: 5,
            extension_max_days: 5,
            reopen_days: 30,
            reminder_days: 3,
            sender: CustomsSender::Officer,
            time_zone: chrono_tz::America::Lima,
        }
    }
}

impl CaseSettings {
    /// The published response time of `category`, in working days.
    pub fn response_days(&self, category: crate::domain::cases::QueryCategory) -> u32 {
        self.response_days
            .iter()
            .find(|(c, _)| *c == category)
            .map(|(_, d)| *d)
            .unwrap_or(10)
    }

    /// The local date of an instant in the deployment's time zone.
    pub fn local_date(&self, at: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
        at.with_timezone(&self.time_zone).date_naive()
    }

    /// Today's local date.
    pub fn today(&self) -> chrono::NaiveDate {
        self.local_date(chrono::Utc::now())
    }
}

/// Limits and the scanner of supporting documents. Every limit a page or message shows is read
/// from here, never written into a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentSettings {
    /// The largest file accepted, in bytes (`VALORA_DOCUMENT_MAX_BYTES`, 20 MiB).
    pub max_file_bytes: u64,
    /// Documents one assessment may hold (`VALORA_DOCUMENT_MAX_FILES`, 20).
    pub max_files: u32,
    /// An Office file may unpack to at most this many bytes (`VALORA_ARCHIVE_MAX_UNPACKED_BYTES`,
    /// 200 MiB) ...
    pub max_unpacked_bytes: u64,
    /// ... and hold at most this many entries (`VALORA_ARCHIVE_MAX_ENTRIES`, 2,000).
    pub max_archive_entries: u32,
    /// Never-submitted draft documents are purged after this many days (`VALORA_DRAFT_DAYS`, 28).
    pub draft_days: u32,
    /// Where clamd listens (`VALORA_CLAMD`): `unix:/path/to/clamd.ctl` or `tcp:host:port`.
    /// Without it files are accepted unscanned and shown as "not scanned".
    pub clamd: Option<String>,
}

impl DocumentSettings {
    /// The limits upload pages state, from these settings.
    pub fn limits(&self) -> crate::domain::documents::UploadLimits {
        crate::domain::documents::UploadLimits {
            max_file_bytes: self.max_file_bytes,
            max_files: self.max_files,
            scanning: self.clamd.is_some(),
        }
    }
}

impl Default for DocumentSettings {
    fn default() -> Self {
        DocumentSettings {
            max_file_bytes: 20 * 1024 * 1024,
            max_files: 20,
            max_unpacked_bytes: 200 * 1024 * 1024,
            max_archive_entries: 2_000,
            draft_days: 28,
            clamd: None,
        }
    }
}

/// Unattached uploads (stored bytes no document or library entry uses) are purged after this.
pub const UNATTACHED_UPLOAD_DAYS: u32 = 7;

/// The country rules bands follow (settings, not code paths: Peru's are the defaults).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BandSettings {
    /// ISO 4217 code values are converted to and bands published in (USD for Peru).
    pub base_currency: String,
    pub rule: crate::domain::bands::BandRule,
    /// Digits of the tariff code bands are keyed on by default.
    pub code_level: i16,
    /// How old the latest exchange rate may be on a date without its own.
    pub rate_max_age_days: i64,
    /// Whether freight and insurance to the place of importation are in the customs value.
    pub basis: crate::domain::engine::Basis,
}

impl Default for BandSettings {
    fn default() -> Self {
        BandSettings {
            base_currency: "USD".into(),
            rule: crate::domain::bands::BandRule::default(),
            code_level: 6,
            rate_max_age_days: 7,
            basis: crate::domain::engine::Basis::Cif,
        }
    }
}

impl Settings {
    pub fn session_cookie_name(&self) -> &'static str {
        if self.https {
            "__Host-valora_session"
        } else {
            "valora_session"
        }
    }
}
