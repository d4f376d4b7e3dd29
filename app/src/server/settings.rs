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
    pub bands: BandSettings,
}

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
