//! Passwords: argon2id with the `argon2` crate's defaults (OWASP: m=19456 KiB, t=2, p=1), hashed
//! on the blocking pool so the async workers keep serving; a policy of length, a shipped list of
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

/// Hashes on the blocking pool.
pub async fn hash(password: String) -> Result<String, String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())?
}

/// Verifies on the blocking pool. With no stored hash (unknown account) a dummy hash is checked
/// anyway, so the answer takes as long either way.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let known = stored.is_some();
    tokio::task::spawn_blocking(move || {
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
    .unwrap_or(false)
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
    async fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let hash = hash("caballo grapa batería correcta".into()).await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify("caballo grapa batería correcta".into(), Some(hash.clone())).await);
        assert!(!verify("caballo grapa bateria correcta".into(), Some(hash)).await);
        assert!(!verify("anything".into(), None).await);
    }
}
