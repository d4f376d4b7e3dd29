//! Passwords: argon2id with the `argon2` crate's defaults (OWASP: m=19456 KiB, t=2, p=1), hashed
//! on the blocking pool so the async workers keep serving, a bounded number at a time; a policy of length, a shipped list of
//! common passwords, and zxcvbn's estimate, with no composition rules.

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};

pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 128;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    Common,
    TooGuessable,
}

const COMMON: &str = include_str!("../../data/common-passwords.txt");

/// Checks a new password; `user_inputs` (email, names) count against it.
pub fn check_policy(password: &str, user_inputs: &[&str]) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if chars > MAX_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    let lowered = password.to_lowercase();
    if COMMON
        .lines()
        .map(str::trim)
        .any(|common| !common.is_empty() && !common.starts_with('#') && common == lowered)
    {
        return Err(PasswordProblem::Common);
    }
    let estimate = zxcvbn::zxcvbn(password, user_inputs);
    if (estimate.score() as u8) < 3 {
        return Err(PasswordProblem::TooGuessable);
    }
    Ok(())
}

/// Why a hash could not be made or checked.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Every hashing slot stayed busy for the wait allowed: the server is flooded; try again.
    #[error("password hashing is saturated")]
    Busy,
    #[error("hashing: {0}")]
    Failed(String),
}

impl From<HashError> for crate::error::AppError {
    fn from(error: HashError) -> Self {
        match error {
            HashError::Busy => crate::error::AppError::unavailable(error),
            HashError::Failed(_) => crate::error::AppError::internal(error),
        }
    }
}

/// How many Argon2 hashes may run at once, and how long a request waits for a turn before it is
/// answered 503. Each hash holds 19 MiB and a core for tens of milliseconds: a flood of them
/// must queue, then be refused, rather than exhaust memory. Cloned handles share the slots.
#[derive(Clone, Debug)]
pub struct Hashing {
    slots: std::sync::Arc<tokio::sync::Semaphore>,
    wait: std::time::Duration,
}

impl Hashing {
    /// `concurrency` hashes at once (`VALORA_HASH_CONCURRENCY`), waiting at most `wait` for one
    /// (`VALORA_HASH_WAIT_MS`).
    pub fn new(concurrency: usize, wait: std::time::Duration) -> Hashing {
        Hashing {
            slots: std::sync::Arc::new(tokio::sync::Semaphore::new(concurrency.max(1))),
            wait,
        }
    }

    /// Twice the cores, waiting up to 5 s: the defaults of the settings.
    pub fn default_concurrency() -> usize {
        2 * std::thread::available_parallelism().map_or(1, |n| n.get())
    }

    /// Runs `work` on the blocking pool once a slot is free.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let _slot = tokio::time::timeout(self.wait, self.slots.acquire())
            .await
            .map_err(|_| HashError::Busy)?
            .map_err(|e| HashError::Failed(e.to_string()))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| HashError::Failed(e.to_string()))
    }
}

impl Default for Hashing {
    fn default() -> Self {
        Hashing::new(
            Hashing::default_concurrency(),
            std::time::Duration::from_secs(5),
        )
    }
}

/// Hashes on the blocking pool, in a hashing slot.
pub async fn hash(hashing: &Hashing, password: String) -> Result<String, HashError> {
    hashing
        .run(move || {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| HashError::Failed(e.to_string()))
        })
        .await?
}

/// Verifies on the blocking pool, in a hashing slot. With no stored hash (unknown account) a
/// dummy hash is checked anyway, so the answer takes as long either way.
pub async fn verify(
    hashing: &Hashing,
    password: String,
    stored: Option<String>,
) -> Result<bool, HashError> {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let known = stored.is_some();
    hashing
        .run(move || {
            let stored = stored.unwrap_or_else(|| {
                DUMMY
                    .get_or_init(|| {
                        let salt = SaltString::generate(&mut OsRng);
                        Argon2::default()
                            .hash_password(b"not a password", &salt)
                            .map(|h| h.to_string())
                            .unwrap_or_default()
                    })
                    .clone()
            });
            let Ok(parsed) = PasswordHash::new(&stored) else {
                return false;
            };
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
                && known
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_counts_characters_not_bytes_and_has_no_composition_rules() {
        assert_eq!(check_policy("short", &[]), Err(PasswordProblem::TooShort));
        assert_eq!(
            check_policy(&"ñ".repeat(11), &[]),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(
            check_policy(&"x".repeat(129), &[]),
            Err(PasswordProblem::TooLong)
        );
        assert!(
            check_policy("caballo grapa batería correcta", &[]).is_ok(),
            "lower-case words are fine"
        );
        assert!(
            check_policy("ñandú volador sobre Cusco 🦙", &[]).is_ok(),
            "any Unicode"
        );
    }

    #[test]
    fn common_and_guessable_passwords_are_refused() {
        assert_eq!(
            check_policy("123456789012", &[]),
            Err(PasswordProblem::Common)
        );
        assert_eq!(
            check_policy("PASSWORD1234", &[]),
            Err(PasswordProblem::Common)
        );
        assert_eq!(
            check_policy("aaaaaaaaaaaaaaaa", &[]),
            Err(PasswordProblem::TooGuessable)
        );
        assert_eq!(
            check_policy("maria.quispe@example.pe", &["maria.quispe@example.pe"]),
            Err(PasswordProblem::TooGuessable)
        );
    }

    #[tokio::test]
    async fn a_hash_that_cannot_get_a_slot_in_time_is_refused_as_busy() {
        let hashing = Hashing::new(1, std::time::Duration::from_millis(20));
        let held = hashing.slots.clone().acquire_owned().await.unwrap();
        let refused = hash(&hashing, "caballo grapa batería correcta".into()).await;
        assert!(matches!(refused, Err(HashError::Busy)), "{refused:?}");
        drop(held);
        assert!(
            hash(&hashing, "caballo grapa batería correcta".into())
                .await
                .is_ok()
        );
    }

    #[tokio::test]
    async fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let hashing = Hashing::default();
        let hash = hash(&hashing, "caballo grapa batería correcta".into())
            .await
            .unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            verify(
                &hashing,
                "caballo grapa batería correcta".into(),
                Some(hash.clone())
            )
            .await
            .unwrap()
        );
        assert!(
            !verify(
                &hashing,
                "caballo grapa bateria correcta".into(),
                Some(hash)
            )
            .await
            .unwrap()
        );
        assert!(!verify(&hashing, "anything".into(), None).await.unwrap());
    }
}
