//! Which addresses from settings and messages may become a `src` or an `href` (the widget's and
//! the console's).

/// An `http:`/`https:` address with no whitespace or control characters.
pub fn is_web_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url
            .trim()
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
}

/// A web address, or an inline PNG/JPEG/GIF/WebP image (never SVG, which can carry script).
pub fn is_image_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    is_web_url(url)
        || [
            "data:image/png",
            "data:image/jpeg",
            "data:image/gif",
            "data:image/webp",
        ]
        .iter()
        .any(|prefix| lower.starts_with(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_and_raster_image_addresses_pass() {
        assert!(is_web_url("https://cdn.example/a.png") && is_web_url("HTTP://x.example/"));
        assert!(is_image_url("data:image/png;base64,AAAA"));
        for bad in [
            "javascript:alert(1)",
            " javascript:alert(1)",
            "data:text/html,<script>",
            "data:image/svg+xml,<svg onload=x>",
            "//evil.example",
            "https://a b",
            "https://a\u{0}b",
            "vbscript:x",
            "",
        ] {
            assert!(!is_image_url(bad), "{bad}");
        }
        assert!(!is_web_url("data:image/png;base64,AAAA"));
    }
}
