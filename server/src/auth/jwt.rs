//! HS256 JSON Web Tokens with Tiledesk's claims: `iss`/`aud` `https://tiledesk.com`, `sub`, `jti`, `iat`, `exp`, `_id`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::Sha256;

use crate::{clock, random};

/// `iss` and `aud` of every token, as the real server sets them.
const ISSUER: &str = "https://tiledesk.com";
/// Tokens are valid for 30 days.
const LIFETIME_SECS: i64 = 30 * 24 * 60 * 60;
/// Tolerated clock skew on `iat`.
const LEEWAY_SECS: i64 = 300;
/// Longer tokens are refused unread.
const MAX_TOKEN_LEN: usize = 8 * 1024;
/// The JOSE header of every token.
const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

/// Who a token speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Subject {
    Guest,
    User,
}

/// The claims of a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    pub sub: Subject,
    pub jti: String,
    pub iat: i64,
    pub exp: i64,
    #[serde(rename = "_id")]
    pub user_id: String,
}

/// Signs and checks tokens with the server's secret.
pub struct JwtKeys {
    secret: Vec<u8>,
}

impl JwtKeys {
    pub fn new(secret: Vec<u8>) -> Self {
        Self { secret }
    }

    fn mac(&self, signing_input: &str) -> Hmac<Sha256> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.secret).expect("HMAC takes keys of any length");
        mac.update(signing_input.as_bytes());
        mac
    }

    /// A token for `user_id`, valid for 30 days.
    pub fn sign(&self, sub: Subject, user_id: &str) -> String {
        self.sign_at(sub, user_id, clock::unix_seconds())
    }

    fn sign_at(&self, sub: Subject, user_id: &str, now: i64) -> String {
        let claims = Claims {
            iss: ISSUER.to_owned(),
            aud: ISSUER.to_owned(),
            sub,
            jti: random::hex(&random::bytes::<16>()),
            iat: now,
            exp: now + LIFETIME_SECS,
            user_id: user_id.to_owned(),
        };
        let payload = serde_json::to_vec(&claims).expect("claims always serialize");
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(HEADER),
            URL_SAFE_NO_PAD.encode(payload)
        );
        let signature = URL_SAFE_NO_PAD.encode(self.mac(&signing_input).finalize().into_bytes());
        format!("{signing_input}.{signature}")
    }

    /// The claims of `token` if it is ours, untampered, current and for `https://tiledesk.com`.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        if token.len() > MAX_TOKEN_LEN {
            return None;
        }
        let (signing_input, signature) = token.rsplit_once('.')?;
        let (header, payload) = signing_input.split_once('.')?;
        let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
        if header.get("alg")?.as_str()? != "HS256" {
            return None;
        }
        let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
        self.mac(signing_input).verify_slice(&signature).ok()?;
        let claims: Claims = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
        let now = clock::unix_seconds();
        let current = claims.exp > now && claims.iat <= now + LEEWAY_SECS;
        (current && claims.iss == ISSUER && claims.aud == ISSUER).then_some(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> JwtKeys {
        JwtKeys::new(b"0123456789abcdef0123456789abcdef".to_vec())
    }

    #[test]
    fn signed_tokens_verify_with_tiledesk_claims() {
        let token = keys().sign(Subject::Guest, "fc43a0e1-ba85-404e-9a44-bf0050330898");
        let claims = keys().verify(&token).expect("valid token");
        assert_eq!(claims.sub, Subject::Guest);
        assert_eq!(claims.user_id, "fc43a0e1-ba85-404e-9a44-bf0050330898");
        assert_eq!(claims.iss, "https://tiledesk.com");
        assert_eq!(claims.aud, "https://tiledesk.com");
        assert_eq!(claims.exp - claims.iat, LIFETIME_SECS);
        assert_eq!(claims.jti.len(), 32);
    }

    #[test]
    fn tampered_foreign_expired_and_garbage_tokens_fail() {
        let token = keys().sign(Subject::User, "5e2c357af0dbc10017bb3aa7");
        let other = JwtKeys::new(b"another secret of at least 32 bytes!".to_vec());
        assert!(other.verify(&token).is_none());

        let (head, _) = token.rsplit_once('.').unwrap();
        let (header, _) = head.split_once('.').unwrap();
        let forged_payload = URL_SAFE_NO_PAD.encode(
            br#"{"iss":"https://tiledesk.com","aud":"https://tiledesk.com","sub":"user","jti":"x","iat":0,"exp":99999999999,"_id":"someone-else"}"#,
        );
        let signature = token.rsplit_once('.').unwrap().1;
        assert!(keys()
            .verify(&format!("{header}.{forged_payload}.{signature}"))
            .is_none());

        let expired = keys().sign_at(
            Subject::User,
            "u",
            clock::unix_seconds() - LIFETIME_SECS - 1,
        );
        assert!(keys().verify(&expired).is_none());

        for garbage in [
            "",
            ".",
            "..",
            "a.b.c",
            "a.b",
            &"x".repeat(MAX_TOKEN_LEN + 1),
        ] {
            assert!(keys().verify(garbage).is_none(), "{garbage}");
        }
    }

    #[test]
    fn unsigned_alg_none_tokens_fail() {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let token = keys().sign(Subject::User, "u");
        let payload = token.split('.').nth(1).unwrap();
        assert!(keys().verify(&format!("{header}.{payload}.")).is_none());
    }
}
