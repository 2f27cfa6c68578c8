//! Account fields checked at sign-up: email addresses, passwords and display names.

/// Shortest accepted password, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest accepted password, in bytes (hashing cost must stay bounded).
const MAX_PASSWORD_BYTES: usize = 1024;
/// Longest accepted email address.
const MAX_EMAIL_LEN: usize = 254;
/// Longest accepted first or last name.
const MAX_NAME_CHARS: usize = 100;

/// An email address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Reads `local@domain.tld`, or explains what is wrong.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let email = raw.trim().to_lowercase();
        let Some((local, domain)) = email.split_once('@') else {
            return Err("Invalid email address.");
        };
        let valid = email.len() <= MAX_EMAIL_LEN
            && !local.is_empty()
            && !domain.contains('@')
            && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            && domain.contains('.')
            && domain.split('.').all(|label| !label.is_empty());
        if valid {
            Ok(Self(email))
        } else {
            Err("Invalid email address.")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password of acceptable length.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// Accepts 8 characters or more (and at most 1 KiB).
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        if raw.chars().count() < MIN_PASSWORD_CHARS {
            Err("Password must be at least 8 characters long.")
        } else if raw.len() > MAX_PASSWORD_BYTES {
            Err("Password is too long.")
        } else {
            Ok(Self(raw.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A first or last name, trimmed; empty is allowed.
pub fn parse_name(raw: &str) -> Result<String, &'static str> {
    let name = raw.trim();
    if name.chars().count() > MAX_NAME_CHARS {
        Err("Name is too long.")
    } else if name.chars().any(char::is_control) {
        Err("Name has control characters.")
    } else {
        Ok(name.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Jane@Example.COM ").map(|e| e.as_str().to_owned()),
            Ok("jane@example.com".to_owned())
        );
        for bad in [
            "",
            "jane",
            "@example.com",
            "jane@",
            "jane@example",
            "jane@@example.com",
            "ja ne@example.com",
            "jane@example..com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_need_eight_characters() {
        assert!(Password::parse("1234567").is_err());
        assert!(Password::parse("12345678").is_ok());
        assert!(Password::parse(&"x".repeat(2000)).is_err());
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(parse_name("  Jane "), Ok("Jane".to_owned()));
        assert!(parse_name(&"x".repeat(101)).is_err());
        assert!(parse_name("a\u{0}b").is_err());
    }
}
