//! What an image or file message shows (its picture or download link and caption), and which files an agent may send.

use serde_json::Value;
use tiledesk_protocol::attachment::{file_caption, human_size, Refusal};
use tiledesk_protocol::urls::is_web_url;

/// What agents may attach: any type (the size limit still holds).
pub const AGENT_ACCEPT: &str = "*/*";

/// Largest width or height an image message may ask for, in pixels.
const MAX_PIXELS: u64 = 4096;

/// The body of a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Media {
    /// An image from `src`, its size in pixels when known, the caption in markdown.
    Image {
        src: String,
        width: Option<u64>,
        height: Option<u64>,
        caption: String,
    },
    /// A file to download from `src`, named `name`, its size for people, the caption in markdown.
    File {
        src: String,
        name: String,
        size: Option<String>,
        caption: String,
    },
    /// Markdown text (any other message, or an attachment with no web address).
    Text,
}

/// What a message of type `kind` with `text` and `metadata` shows.
pub fn media(kind: &str, text: &str, metadata: Option<&Value>) -> Media {
    let field = |key: &str| metadata.and_then(|m| m.get(key));
    let Some(src) = field("src")
        .and_then(Value::as_str)
        .filter(|src| is_web_url(src))
        .map(str::to_owned)
    else {
        return Media::Text;
    };
    let pixels = |key: &str| {
        field(key)
            .and_then(Value::as_u64)
            .map(|n| n.min(MAX_PIXELS))
    };
    match kind {
        "image" => Media::Image {
            width: pixels("width"),
            height: pixels("height"),
            caption: text.trim().to_owned(),
            src,
        },
        "file" => Media::File {
            name: field("name")
                .and_then(Value::as_str)
                .filter(|name| !name.trim().is_empty())
                .unwrap_or("file")
                .to_owned(),
            size: field("size").and_then(Value::as_u64).map(human_size),
            caption: file_caption(text, &src).to_owned(),
            src,
        },
        _ => Media::Text,
    }
}

/// Why the agent's file cannot be sent, for the agent.
pub fn refusal_text(refusal: Refusal) -> &'static str {
    match refusal {
        Refusal::Size => "The file is larger than 10 MB: it cannot be sent.",
        Refusal::Empty => "The file is empty: it cannot be sent.",
        Refusal::Type => "Files of this type cannot be sent.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tiledesk_protocol::attachment::Picked;

    #[test]
    fn images_show_with_their_size_and_caption() {
        let meta = json!({"src": "http://x/files?path=a", "width": 2, "height": 99999});
        assert_eq!(
            media("image", " look ", Some(&meta)),
            Media::Image {
                src: "http://x/files?path=a".into(),
                width: Some(2),
                height: Some(4096),
                caption: "look".into(),
            }
        );
        let script = json!({"src": "javascript:alert(1)"});
        assert_eq!(media("image", "x", Some(&script)), Media::Text);
        assert_eq!(media("image", "x", None), Media::Text);
        assert_eq!(media("text", "x", Some(&meta)), Media::Text);
    }

    #[test]
    fn files_show_as_links_without_the_leading_link() {
        let src = "http://x/files?path=b";
        let meta = json!({"src": src, "name": "<b>order</b>.pdf", "size": 1536});
        assert_eq!(
            media(
                "file",
                &format!("[order.pdf]({src})\nthe invoice"),
                Some(&meta)
            ),
            Media::File {
                src: src.into(),
                name: "<b>order</b>.pdf".into(),
                size: Some("1.5 KB".into()),
                caption: "the invoice".into(),
            }
        );
        let nameless = json!({"src": src});
        assert_eq!(
            media("file", &format!("[x]({src})"), Some(&nameless)),
            Media::File {
                src: src.into(),
                name: "file".into(),
                size: None,
                caption: String::new(),
            }
        );
    }

    #[test]
    fn agents_send_any_type_under_the_size_limit() {
        let picked = |mime: &str, size| Picked {
            name: "a.bin".into(),
            mime: mime.into(),
            size,
        };
        assert_eq!(
            picked("application/x-msdownload", 5).check(AGENT_ACCEPT),
            Ok(())
        );
        assert_eq!(picked("", 5).check(AGENT_ACCEPT), Ok(()));
        let refused = picked("image/png", 10 * 1024 * 1024 + 1).check(AGENT_ACCEPT);
        assert_eq!(refused, Err(Refusal::Size));
        assert!(refusal_text(Refusal::Size).contains("10 MB"));
    }
}
