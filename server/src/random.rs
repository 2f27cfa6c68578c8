//! Random bytes from the operating system and their hex form.

use std::fmt::Write;

/// `N` bytes from the operating system's secure random source.
pub fn bytes<const N: usize>() -> [u8; N] {
    let mut buffer = [0u8; N];
    // Without an OS random source no secret, salt or id can be made safely: stop loudly.
    getrandom::fill(&mut buffer).expect("the operating system random source is unavailable");
    buffer
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, byte| {
            let _ = write!(out, "{byte:02x}");
            out
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_lowercase_and_padded() {
        assert_eq!(hex(&[0x00, 0x0f, 0xab]), "000fab");
        assert_ne!(bytes::<16>(), bytes::<16>());
    }
}
