//! Files sent in a conversation, as the Tiledesk widget sends them: checked against
//! `fileUploadAccept` and the size limit, uploaded to `{apiUrl}{projectId}/files/chat`, then sent
//! as an `image` or `file` message carrying Tiledesk's `metadata` (the widget and the console).

use serde_json::{json, Value};

/// The Tiledesk widget's upload limit, 10 MB (`FILE_SIZE_LIMIT`), which tiledesk-local also keeps.
pub const SIZE_LIMIT_MB: u64 = 10;
const SIZE_LIMIT_BYTES: u64 = SIZE_LIMIT_MB * 1024 * 1024;

/// The Tiledesk widget's default `fileUploadAccept`.
pub const DEFAULT_ACCEPT: &str = "image/*,.pdf,.txt,.mp3,.xls,.xlsx";

/// A file the visitor picked, pasted or dropped.
#[derive(Debug, Clone, PartialEq)]
pub struct Picked {
    pub name: String,
    /// Its MIME type as the browser gives it (may be empty).
    pub mime: String,
    pub size: u64,
}

/// Why a file cannot be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not among the types `fileUploadAccept` lists.
    Type,
    /// Over the size limit.
    Size,
    /// Empty.
    Empty,
}

impl Picked {
    /// Whether the file may be sent under `accept` (a `fileUploadAccept` list).
    pub fn check(&self, accept: &str) -> Result<(), Refusal> {
        if self.size == 0 {
            return Err(Refusal::Empty);
        }
        if self.size > SIZE_LIMIT_BYTES {
            return Err(Refusal::Size);
        }
        if accepts(accept, &self.name, &self.mime) {
            Ok(())
        } else {
            Err(Refusal::Type)
        }
    }

    /// Whether it is sent as an image (shown inline): any image but SVG, as the Tiledesk widget does.
    pub fn is_image(&self) -> bool {
        self.mime.starts_with("image/") && !self.mime.starts_with("image/svg")
    }
}

/// Whether a file named `name` of type `mime` matches `accept`: `*/*`, a `type/*` wildcard, an
/// exact MIME type or a `.ext` extension, as the Tiledesk widget's `checkAcceptedFile` reads it.
pub fn accepts(accept: &str, name: &str, mime: &str) -> bool {
    let extension = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase());
    accept.split(',').map(str::trim).any(|entry| {
        if entry == "*/*" || entry == "*" {
            true
        } else if let Some(base) = entry.strip_suffix("/*") {
            mime.split('/').next() == Some(base)
        } else if let Some(ext) = entry.strip_prefix('.') {
            extension.as_deref() == Some(&ext.to_ascii_lowercase())
        } else {
            !entry.is_empty() && entry.eq_ignore_ascii_case(mime)
        }
    })
}

/// Where an uploaded file is shown and downloaded from: `{base}files?path=…` and
/// `{base}files/download?path=…`, with `filename` as the upload's answer named it.
pub fn file_urls(api_base: &str, filename_encoded: &str) -> (String, String) {
    (
        format!("{api_base}files?path={filename_encoded}"),
        format!("{api_base}files/download?path={filename_encoded}"),
    )
}

/// The message that sends an uploaded file: its type, text and metadata as the Tiledesk widget
/// makes them. An image carries its size in pixels (when known) and the caption as its text; any
/// other file a markdown link to itself, then the caption.
pub fn message(
    picked: &Picked,
    urls: &(String, String),
    pixels: Option<(u32, u32)>,
    uid: &str,
    caption: &str,
) -> (String, String, Value) {
    let (src, download) = urls;
    let mut metadata = json!({
        "name": picked.name, "src": src, "downloadURL": download,
        "type": picked.mime, "uid": uid, "size": picked.size,
    });
    let caption = caption.trim();
    if picked.is_image() {
        if let Some((width, height)) = pixels {
            metadata["width"] = width.into();
            metadata["height"] = height.into();
        }
        ("image".into(), caption.to_owned(), metadata)
    } else {
        let link = format!("[{}]({src})", picked.name.replace(['[', ']'], ""));
        let text = if caption.is_empty() {
            link
        } else {
            format!("{link}\n{caption}")
        };
        ("file".into(), text, metadata)
    }
}

/// The caption of a `file` message: its text without the link to the file the Tiledesk widget
/// puts first.
pub fn file_caption<'a>(text: &'a str, src: &str) -> &'a str {
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    if first.starts_with('[') && first.ends_with(&format!("]({src})")) {
        rest.trim()
    } else {
        text
    }
}

/// `bytes` for people: 512 B, 1.5 KB, 3.2 MB, with one decimal hand-formatted (no float formatting).
pub fn human_size(bytes: u64) -> String {
    let tenths = |unit: u64| (bytes * 10 + unit / 2) / unit;
    match bytes {
        0..=1023 => format!("{bytes} B"),
        1024..=1_048_575 => {
            let t = tenths(1024);
            format!("{}.{} KB", t / 10, t % 10)
        }
        _ => {
            let t = tenths(1_048_576);
            format!("{}.{} MB", t / 10, t % 10)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picked(name: &str, mime: &str, size: u64) -> Picked {
        Picked {
            name: name.into(),
            mime: mime.into(),
            size,
        }
    }

    #[test]
    fn files_are_checked_as_tiledesk_checks_them() {
        let accept = DEFAULT_ACCEPT;
        assert_eq!(picked("a.png", "image/png", 10).check(accept), Ok(()));
        assert_eq!(
            picked("Report.PDF", "application/pdf", 10).check(accept),
            Ok(())
        );
        assert_eq!(
            picked("a.exe", "application/x-msdownload", 10).check(accept),
            Err(Refusal::Type)
        );
        assert_eq!(
            picked("a.png", "image/png", 11 * 1024 * 1024).check(accept),
            Err(Refusal::Size)
        );
        assert_eq!(
            picked("a.png", "image/png", 0).check(accept),
            Err(Refusal::Empty)
        );
        assert!(accepts("*/*", "x.bin", ""));
        assert!(accepts("application/pdf", "x", "application/pdf"));
        assert!(!accepts("application/pdf", "x.png", "image/png"));
        assert!(!accepts("", "x.png", "image/png"));
    }

    #[test]
    fn images_and_files_become_tiledesk_messages() {
        let urls = file_urls("https://api.example/", "uploads%2Fab%2Fa.png");
        assert_eq!(
            urls.0,
            "https://api.example/files?path=uploads%2Fab%2Fa.png"
        );
        assert_eq!(
            urls.1,
            "https://api.example/files/download?path=uploads%2Fab%2Fa.png"
        );
        let (kind, text, meta) = message(
            &picked("a.png", "image/png", 68),
            &urls,
            Some((20, 10)),
            "u1",
            " look ",
        );
        assert_eq!((kind.as_str(), text.as_str()), ("image", "look"));
        assert_eq!(meta["width"], 20);
        assert_eq!(meta["src"], urls.0.as_str());
        assert_eq!(meta["downloadURL"], urls.1.as_str());
        let (kind, text, meta) = message(
            &picked("[r].pdf", "application/pdf", 9),
            &urls,
            None,
            "u2",
            "the report",
        );
        assert_eq!(kind, "file");
        assert_eq!(text, format!("[r.pdf]({})\nthe report", urls.0));
        assert_eq!(meta["name"], "[r].pdf");
        assert!(meta.get("width").is_none());
        assert_eq!(file_caption(&text, &urls.0), "the report");
        assert_eq!(file_caption("just words", &urls.0), "just words");
        let (_, svg, _) = message(&picked("a.svg", "image/svg+xml", 9), &urls, None, "u3", "");
        assert!(svg.starts_with("[a.svg]("), "an SVG goes as a file");
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(1536), "1.5 KB");
        assert_eq!(human_size(3 * 1024 * 1024 + 200 * 1024), "3.2 MB");
    }
}
