//! Argon2 password hashing and checking, run on the blocking thread pool.

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::error::ApiError;
use crate::random;

/// The PHC string (`$argon2id$…`) of `password` with a fresh salt.
pub async fn hash(password: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || hash_now(&password))
        .await
        .map_err(ApiError::internal)?
}

fn hash_now(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::encode_b64(&random::bytes::<16>()).map_err(ApiError::internal)?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(ApiError::internal)
}

/// Whether `password` matches `stored`. Without a stored hash a dummy one is checked, so an
/// unknown email takes as long to refuse as a wrong password.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let matches = |phc: &str| {
            PasswordHash::new(phc).is_ok_and(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
        };
        match stored {
            Some(phc) => matches(&phc),
            None => {
                matches(dummy_hash());
                false
            }
        }
    })
    .await
    .unwrap_or(false)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        hash_now(&random::hex(&random::bytes::<16>())).unwrap_or_else(|_| String::new())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_only_their_password() {
        let phc = hash("correct horse".to_owned()).await.unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify("correct horse".to_owned(), Some(phc.clone())).await);
        assert!(!verify("wrong horse".to_owned(), Some(phc)).await);
        assert!(!verify("correct horse".to_owned(), None).await);
        assert!(!verify("x".to_owned(), Some("not a hash".to_owned())).await);
    }
}
