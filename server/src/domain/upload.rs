//! Uploaded files: their unguessable path, the type read from their bytes, and the file name
//! made safe for a `Content-Disposition` header.

use std::fmt::Write;

use crate::random;

/// Longest kept file name, in characters.
const MAX_NAME_CHARS: usize = 100;
/// The folder part of every upload path.
const PREFIX: &str = "uploads/";

/// `uploads/<32 hex digits>/<safe name>`: where an upload is read back; the 128 random bits make
/// it a capability that cannot be guessed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadPath {
    id: String,
    path: String,
}

impl UploadPath {
    /// A new random path for a file called `name` (only its safe characters are kept).
    pub fn generate(name: &str) -> Self {
        let id = random::hex(&random::bytes::<16>());
        let path = format!("{PREFIX}{id}/{}", path_name(name));
        Self { id, path }
    }

    /// Reads a path of that form, or `None` (anything else, `..`, absolute or encoded paths included).
    pub fn parse(raw: &str) -> Option<Self> {
        let (id, name) = raw.strip_prefix(PREFIX)?.split_once('/')?;
        let id_ok = id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        let name_ok = !name.is_empty()
            && name.chars().count() <= MAX_NAME_CHARS
            && name.bytes().all(is_path_byte)
            && !name.starts_with('.');
        (id_ok && name_ok).then(|| Self {
            id: id.to_owned(),
            path: raw.to_owned(),
        })
    }

    /// Reads the upload path a message's `metadata.src` points at: the path itself, or a URL
    /// whose `path` query parameter is one (`…/files?path=uploads%2F…`).
    pub fn from_src(src: &str) -> Option<Self> {
        if let Some(path) = Self::parse(src) {
            return Some(path);
        }
        let (_, query) = src.split_once('?')?;
        url::form_urlencoded::parse(query.as_bytes())
            .find(|(key, _)| key == "path")
            .and_then(|(_, value)| Self::parse(&value))
    }

    /// The random id, also the stored file's name.
    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn as_str(&self) -> &str {
        &self.path
    }
}

fn is_path_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'-')
}

/// `name` with only ASCII letters, digits, `.`, `_` and `-` (others become `_`), not starting
/// with a dot, at most 100 characters; `file` when nothing is left.
fn path_name(name: &str) -> String {
    let cleaned: String = display_name(name)
        .chars()
        .map(|c| {
            if c.is_ascii() && is_path_byte(c as u8) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let cleaned = cleaned.trim_start_matches('.');
    if cleaned.trim_matches('_').is_empty() {
        "file".to_owned()
    } else {
        cleaned.to_owned()
    }
}

/// The last segment of a client's file name without control characters, quotes, slashes or
/// backslashes, at most 100 characters; `file` when nothing is left.
pub fn display_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\'' | '<' | '>' | '`' | ';'))
        .take(MAX_NAME_CHARS)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.');
    if cleaned.is_empty() {
        "file".to_owned()
    } else {
        cleaned.to_owned()
    }
}

/// `Content-Disposition` for `name`: `inline` or `attachment`, with an ASCII `filename` and the
/// exact `filename*` (RFC 8187 percent-encoded UTF-8).
pub fn disposition(inline: bool, name: &str) -> String {
    let kind = if inline { "inline" } else { "attachment" };
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ' ' | '(' | ')') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'-') {
            encoded.push(char::from(byte));
        } else {
            let _ = write!(encoded, "%{byte:02X}");
        }
    }
    format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// What an upload's bytes are, as served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileKind {
    pub content_type: &'static str,
    /// Shown in the page (images); anything else is only ever downloaded.
    pub inline: bool,
}

/// Anything not recognised (SVG and HTML included): bytes to download, never rendered.
const OPAQUE: FileKind = FileKind {
    content_type: "application/octet-stream",
    inline: false,
};

/// The kind of `bytes`, read from their first bytes (and, for office documents, which are zip or
/// OLE containers, the name's extension). Only raster images are shown inline; markup that a
/// browser would run (HTML, SVG, XML) is opaque.
pub fn sniff(bytes: &[u8], name: &str) -> FileKind {
    let image = |content_type| FileKind {
        content_type,
        inline: true,
    };
    let file = |content_type| FileKind {
        content_type,
        inline: false,
    };
    let extension = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    let riff = |kind: &[u8]| bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == kind;
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        image("image/png")
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        image("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        image("image/gif")
    } else if riff(b"WEBP") {
        image("image/webp")
    } else if bytes.starts_with(b"%PDF-") {
        file("application/pdf")
    } else if riff(b"WAVE") {
        file("audio/wav")
    } else if bytes.starts_with(b"OggS") {
        file("audio/ogg")
    } else if bytes.starts_with(b"ID3")
        || (bytes.len() > 1 && bytes[0] == 0xff && bytes[1] & 0xe0 == 0xe0)
    {
        file("audio/mpeg")
    } else if bytes.starts_with(b"\x1a\x45\xdf\xa3") {
        file("audio/webm")
    } else if bytes.len() >= 8 && &bytes[4..8] == b"ftyp" {
        file("audio/mp4")
    } else if bytes.starts_with(b"PK\x03\x04") {
        match extension.as_str() {
            "docx" => {
                file("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
            }
            "xlsx" => file("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            "pptx" => {
                file("application/vnd.openxmlformats-officedocument.presentationml.presentation")
            }
            "odt" => file("application/vnd.oasis.opendocument.text"),
            "ods" => file("application/vnd.oasis.opendocument.spreadsheet"),
            _ => file("application/zip"),
        }
    } else if bytes.starts_with(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") {
        match extension.as_str() {
            "doc" => file("application/msword"),
            "xls" => file("application/vnd.ms-excel"),
            "ppt" => file("application/vnd.ms-powerpoint"),
            _ => OPAQUE,
        }
    } else if is_plain_text(bytes) {
        file("text/plain; charset=utf-8")
    } else {
        OPAQUE
    }
}

/// UTF-8 without NUL bytes that does not look like markup.
fn is_plain_text(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let head: String = text
        .chars()
        .take(1024)
        .collect::<String>()
        .to_ascii_lowercase();
    let markup = head.trim_start().starts_with('<')
        || [
            "<html",
            "<svg",
            "<script",
            "<!doctype",
            "<?xml",
            "<body",
            "<iframe",
        ]
        .iter()
        .any(|tag| head.contains(tag));
    !text.contains('\0') && !markup
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_random_and_read_back_only_in_their_own_form() {
        let path = UploadPath::generate("../../etc/passwd <x>.png");
        assert_eq!(UploadPath::parse(path.as_str()), Some(path.clone()));
        assert!(
            path.as_str().ends_with("/passwd_x.png"),
            "{}",
            path.as_str()
        );
        assert_ne!(
            UploadPath::generate("a").id(),
            UploadPath::generate("a").id()
        );
        let id = path.id();
        for bad in [
            format!("uploads/{id}/../x"),
            format!("uploads/{id}/a/b"),
            format!("/uploads/{id}/a"),
            format!("uploads/{id}/"),
            format!("uploads/{id}/%2e%2e"),
            format!("uploads/{}/a", id.to_uppercase()),
            "uploads/1234/a".to_owned(),
            "../data/jwt-secret".to_owned(),
        ] {
            assert_eq!(UploadPath::parse(&bad), None, "{bad}");
        }
        let src = format!("http://x/files?path={}", path.as_str().replace('/', "%2F"));
        assert_eq!(UploadPath::from_src(&src), Some(path));
    }

    #[test]
    fn names_are_cleaned_for_headers() {
        assert_eq!(display_name("C:\\x\\<script>\"a'.pdf"), "scripta.pdf");
        assert_eq!(display_name("..."), "file");
        let header = disposition(false, "résumé \"1\".pdf");
        assert!(header.starts_with("attachment; filename=\"r_sum_ _1_.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%221%22.pdf"), "{header}");
    }

    #[test]
    fn kinds_come_from_the_bytes() {
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\nrest", "x.txt").content_type,
            "image/png"
        );
        assert!(sniff(b"\x89PNG\r\n\x1a\nrest", "x").inline);
        assert_eq!(
            sniff(b"%PDF-1.4", "a.png"),
            FileKind {
                content_type: "application/pdf",
                inline: false
            }
        );
        assert_eq!(
            sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "a.svg"),
            OPAQUE
        );
        assert_eq!(sniff(b"hello <script>alert(1)</script>", "a.txt"), OPAQUE);
        assert_eq!(
            sniff(b"just text", "a.txt").content_type,
            "text/plain; charset=utf-8"
        );
        assert_eq!(sniff(b"\x00\x01\x02", "a.bin"), OPAQUE);
    }
}
