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
