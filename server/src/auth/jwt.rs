//! HS256 JSON Web Tokens: the server's own (`iss`/`aud` `https://tiledesk.com`, `sub`, `jti`, `iat`, `exp`, `_id`)
//! and custom tokens signed with a project's secret.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::Sha256;

use tiledesk_protocol::team::{custom_token_audience, CUSTOM_TOKEN_SUBJECT};

use crate::{clock, random};

/// `iss` and `aud` of every token, as the real server sets them.
const ISSUER: &str = "https://tiledesk.com";
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
    /// A user signed in with a project's custom token.
    UserExternal,
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

/// What a project's custom token says about its user.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CustomClaims {
    /// The user's id in the signer's system, unchecked (see `ExternalId`).
    #[serde(rename = "_id")]
    pub external_id: String,
    #[serde(default)]
    pub firstname: Option<String>,
    #[serde(default)]
    pub lastname: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

fn mac(secret: &[u8], signing_input: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(signing_input.as_bytes());
    mac
}

/// `header.payload.signature` of `claims` signed with `secret`.
fn encode(secret: &[u8], claims: &impl Serialize) -> String {
    let payload = serde_json::to_vec(claims).expect("claims always serialize");
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(HEADER),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let signature = URL_SAFE_NO_PAD.encode(mac(secret, &signing_input).finalize().into_bytes());
    format!("{signing_input}.{signature}")
}

/// The payload of an HS256 `token` whose signature `secret` makes, whatever its claims.
fn decode(secret: &[u8], token: &str) -> Option<Value> {
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
    mac(secret, signing_input).verify_slice(&signature).ok()?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}

/// The claims of a custom token for `project_id` signed with the project's `secret`: `aud`
/// `https://tiledesk.com/projects/<project_id>`, `sub` `userexternal`, a string `_id`, and an
/// `exp` in the future when present.
pub fn verify_custom(secret: &[u8], token: &str, project_id: &str) -> Option<CustomClaims> {
    let payload = decode(secret, token)?;
    let now = clock::unix_seconds();
    let audience_ok = match payload.get("aud")? {
        Value::String(aud) => *aud == custom_token_audience(project_id),
        Value::Array(auds) => auds
            .iter()
            .any(|aud| aud.as_str() == Some(&custom_token_audience(project_id))),
        _ => false,
    };
    let current = match payload.get("exp") {
        None => true,
        Some(exp) => exp.as_i64().is_some_and(|exp| exp > now),
    };
    let subject_ok = payload.get("sub")?.as_str()? == CUSTOM_TOKEN_SUBJECT;
    let claims: CustomClaims = serde_json::from_value(payload).ok()?;
    (audience_ok && current && subject_ok).then_some(claims)
}

/// The project a custom token says it is for (from its `aud`), read without checking the
/// signature: only to find the secret to check it with.
pub fn claimed_project(token: &str) -> Option<String> {
    if token.len() > MAX_TOKEN_LEN {
        return None;
    }
    let payload = token.split('.').nth(1)?;
    let payload: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    let audience = match payload.get("aud")? {
        Value::String(aud) => aud.clone(),
        Value::Array(auds) => auds.first()?.as_str()?.to_owned(),
        _ => return None,
    };
    audience
        .strip_prefix("https://tiledesk.com/projects/")
        .map(str::to_owned)
}

/// Signs and checks tokens with the server's secret.
pub struct JwtKeys {
    secret: Vec<u8>,
    lifetime_secs: i64,
}

impl JwtKeys {
    /// Keys signing tokens valid for `lifetime_secs`.
    pub fn new(secret: Vec<u8>, lifetime_secs: i64) -> Self {
        Self {
            secret,
            lifetime_secs,
        }
    }

    /// A token for `user_id`, valid for the configured lifetime.
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
            exp: now + self.lifetime_secs,
            user_id: user_id.to_owned(),
        };
        encode(&self.secret, &claims)
    }

    /// The claims of `token` if it is ours, untampered, current and for `https://tiledesk.com`.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        let claims: Claims = serde_json::from_value(decode(&self.secret, token)?).ok()?;
        let now = clock::unix_seconds();
        let current = claims.exp > now && claims.iat <= now + LEEWAY_SECS;
        (current && claims.iss == ISSUER && claims.aud == ISSUER).then_some(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIFETIME_SECS: i64 = 30 * 24 * 60 * 60;

    fn keys() -> JwtKeys {
        JwtKeys::new(b"0123456789abcdef0123456789abcdef".to_vec(), LIFETIME_SECS)
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
        let external = keys().sign(Subject::UserExternal, "customer-42");
        let payload = URL_SAFE_NO_PAD
            .decode(external.split('.').nth(1).unwrap())
            .unwrap();
        let payload: Value = serde_json::from_slice(&payload).unwrap();
        assert_eq!(payload["sub"], "userexternal");
        assert_eq!(keys().verify(&external).unwrap().sub, Subject::UserExternal);
    }

    #[test]
    fn tampered_foreign_expired_and_garbage_tokens_fail() {
        let token = keys().sign(Subject::User, "5e2c357af0dbc10017bb3aa7");
        let other = JwtKeys::new(
            b"another secret of at least 32 bytes!".to_vec(),
            LIFETIME_SECS,
        );
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

    #[test]
    fn custom_tokens_need_the_project_audience_subject_and_secret() {
        let secret = b"project secret";
        let project = "5e2c35c8f0dbc10017bb3aac";
        let good = serde_json::json!({
            "_id": "ext-1", "firstname": "Ann", "sub": "userexternal",
            "aud": format!("https://tiledesk.com/projects/{project}"),
            "exp": clock::unix_seconds() + 60,
        });
        assert_eq!(
            claimed_project(&encode(secret, &good)).as_deref(),
            Some(project)
        );
        let claims = verify_custom(secret, &encode(secret, &good), project).expect("valid");
        assert_eq!(claims.external_id, "ext-1");
        assert_eq!(claims.firstname.as_deref(), Some("Ann"));
        assert!(verify_custom(b"other", &encode(secret, &good), project).is_none());
        assert!(
            verify_custom(secret, &encode(secret, &good), "5e2c35c8f0dbc10017bb3aad").is_none()
        );
        for (key, value) in [
            ("sub", serde_json::json!("user")),
            ("aud", serde_json::json!("https://tiledesk.com")),
            ("exp", serde_json::json!(clock::unix_seconds() - 1)),
            ("_id", serde_json::json!(42)),
        ] {
            let mut bad = good.clone();
            bad[key] = value;
            assert!(
                verify_custom(secret, &encode(secret, &bad), project).is_none(),
                "{key}"
            );
        }
    }
}
