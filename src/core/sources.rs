//! Link previews as Tiledesk's `url_preview` messages carry them: the pages a message lists (a
//! JSON list of sources, or addresses in its text), which fields to show, and what the server's
//! previews of those pages add.

use serde_json::Value;
use tiledesk_protocol::preview::PagePreview;

use crate::core::contrast::readable_foreground;
use crate::core::conversation::Line;
use crate::core::settings::is_safe_colour;

/// The message type (or `metadata.type` / `attributes.type`) of a link preview.
pub const URL_PREVIEW: &str = "url_preview";
/// Most pages one message lists, as Tiledesk.
const MAX_SOURCES: usize = 10;
/// Sources shown before "Show all", as Tiledesk.
pub const FOLDED: usize = 3;

/// One linked page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Source {
    /// The page's address (`http(s)` only).
    pub link: String,
    pub title: Option<String>,
    pub description: Option<String>,
    /// The page's picture, as written (shown from `https:` only).
    pub image: Option<String>,
}

impl Source {
    /// Whether the server's preview would add to it.
    pub fn incomplete(&self) -> bool {
        self.title.is_none() || self.description.is_none()
    }

    /// The address's host without `www.`, as the list shows it.
    pub fn host(&self) -> &str {
        let rest = self.link.split_once("://").map_or("", |(_, rest)| rest);
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host = authority.split(':').next().unwrap_or_default();
        host.strip_prefix("www.").unwrap_or(host)
    }

    /// Its picture when it may be loaded: an `https:` address.
    pub fn picture(&self) -> Option<&str> {
        self.image
            .as_deref()
            .filter(|src| src.starts_with("https://") && tiledesk_protocol::urls::is_web_url(src))
    }

    /// Fills what it lacks from the page's `preview` (never overwriting).
    fn fill(&mut self, preview: &PagePreview) {
        let title = preview.title.clone().or_else(|| preview.site_name.clone());
        self.title = self.title.take().or(title);
        self.description = self
            .description
            .take()
            .or_else(|| preview.description.clone());
        self.image = self.image.take().or_else(|| preview.image.clone());
    }
}

/// Which fields show: only an explicit `false` in `displayFields` hides one (the title then
/// gives way to the address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    pub title: bool,
    pub description: bool,
    pub image: bool,
    pub source: bool,
}

/// A link preview message: its sources, what shows of them and its background colour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub sources: Vec<Source>,
    pub shown: Shown,
    pub background: Option<String>,
}

impl Preview {
    /// The inline style of its own background colour, with text that stays readable on it.
    pub fn style(&self) -> Option<String> {
        let background = self.background.as_deref()?;
        let ink = readable_foreground(background, "#1a1a1a");
        Some(format!(
            "background:{background};color:{ink};--tdw-ink:{ink};--tdw-muted:{ink}"
        ))
    }
}

/// The link preview `line` is, when it is one: its type, `metadata.type` or `attributes.type` is
/// `url_preview`, and the list is read from that part's `text`.
pub fn of(line: &Line) -> Option<Preview> {
    let parts = [line.metadata.as_ref(), line.attributes.as_ref()];
    let (payload, text) = if line.kind == URL_PREVIEW {
        (None, line.text.as_str())
    } else {
        let payload = parts
            .into_iter()
            .flatten()
            .find(|part| part.get("type").and_then(Value::as_str) == Some(URL_PREVIEW))?;
        (Some(payload), payload.get("text").and_then(Value::as_str)?)
    };
    let field = |name: &str| {
        payload
            .into_iter()
            .chain(parts.into_iter().flatten())
            .find_map(|part| part.get(name).filter(|value| !value.is_null()))
    };
    let fields = field("displayFields");
    let on = |name: &str| fields.and_then(|f| f.get(name)).and_then(Value::as_bool) != Some(false);
    Some(Preview {
        sources: parse(text),
        shown: Shown {
            title: on("title"),
            description: on("description"),
            image: on("image"),
            source: on("source"),
        },
        background: field("previewBackgroundColor")
            .and_then(Value::as_str)
            .filter(|colour| is_safe_colour(colour))
            .map(str::to_owned),
    })
}

/// The sources of a preview's text: a JSON list of `{source_name, source_file_name,
/// source_description, source_image}` (leniently: inside a JSON string or a code fence, with
/// trailing commas), else the addresses written in it. A source without a title takes its page's
/// (Tiledesk keeps the address as its title).
pub fn parse(text: &str) -> Vec<Source> {
    match lenient_json(text) {
        Some(Value::Array(items)) if items.iter().any(Value::is_object) => items
            .iter()
            .filter_map(|item| {
                let raw = item.get("source_name")?.as_str()?.trim();
                let link = addresses(raw, 1).pop()?;
                let text = |name: &str| {
                    item.get(name)
                        .and_then(Value::as_str)
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(str::to_owned)
                };
                Some(Source {
                    title: text("source_file_name"),
                    description: text("source_description"),
                    image: text("source_image"),
                    link,
                })
            })
            .take(MAX_SOURCES)
            .collect(),
        _ => addresses(text, MAX_SOURCES)
            .into_iter()
            .map(|link| Source {
                link,
                ..Source::default()
            })
            .collect(),
    }
}

/// `text` as JSON: as written, else without a code fence and trailing commas; a JSON string
/// holding a list or an object is read again.
fn lenient_json(text: &str) -> Option<Value> {
    let trimmed = text.trim();
    let value = serde_json::from_str::<Value>(trimmed).ok().or_else(|| {
        let unfenced = trimmed
            .strip_prefix("```json")
            .or_else(|| trimmed.strip_prefix("```"))
            .unwrap_or(trimmed);
        let unfenced = unfenced.strip_suffix("```").unwrap_or(unfenced).trim();
        serde_json::from_str(&without_trailing_commas(unfenced)).ok()
    })?;
    match value {
        Value::String(inner) if looks_like_json(&inner) => lenient_json(&inner),
        other => Some(other),
    }
}

fn looks_like_json(text: &str) -> bool {
    let text = text.trim();
    (text.starts_with('[') && text.ends_with(']')) || (text.starts_with('{') && text.ends_with('}'))
}

/// `json` without the commas that come right before a `]` or `}` (outside strings).
fn without_trailing_commas(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            (escaped, in_string) = (!escaped && c == '\\', escaped || c != '"');
        } else if c == '"' {
            in_string = true;
        } else if c == ']' || c == '}' {
            let kept = out.trim_end().len();
            if out[..kept].ends_with(',') {
                out.truncate(kept - 1);
            }
        }
        out.push(c);
    }
    out
}

/// Up to `max` distinct web addresses written in `text` (`https://`, `http://`, `www.` or a bare
/// domain such as `example.com/path`), normalised as Tiledesk does: `https://` added, the
/// fragment dropped, addresses with an `@` (mail) skipped.
pub fn addresses(text: &str, max: usize) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for token in text.split(|c: char| c.is_whitespace() || "<>\"'`".contains(c)) {
        if found.len() >= max {
            break;
        }
        let token = token.trim_start_matches(['(', '[']);
        let token = token.split([')', ']']).next().unwrap_or_default();
        let token = token.trim_end_matches(['.', ',', ';', ':', '!', '?']);
        if let Some(url) = normalise(token).filter(|url| !found.contains(url)) {
            found.push(url);
        }
    }
    found
}

/// `candidate` as an `http(s)` address, when its host looks like a real domain.
fn normalise(candidate: &str) -> Option<String> {
    if candidate.is_empty() || candidate.contains('@') {
        return None;
    }
    let lower = candidate.to_ascii_lowercase();
    let (scheme, rest) = if lower.starts_with("https://") || lower.starts_with("http://") {
        let (scheme, rest) = candidate.split_once("://")?;
        (scheme.to_ascii_lowercase(), rest)
    } else if lower.contains("://") {
        return None;
    } else {
        ("https".to_owned(), candidate)
    };
    let rest = rest.split('#').next().unwrap_or_default();
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
        _ => authority,
    }
    .to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').collect();
    let tld = labels.last().copied().unwrap_or_default();
    let valid = labels.len() > 1
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
        && tld.len() >= 2;
    if !valid {
        return None;
    }
    let authority = authority.to_ascii_lowercase();
    let path = if path.is_empty() { "/" } else { path };
    Some(format!("{scheme}://{authority}{path}"))
}

/// A one-line summary of a preview's `text`: its pages' titles (or hosts), for the message preview.
pub fn summary(text: &str) -> String {
    parse(text)
        .iter()
        .map(|source| source.title.as_deref().unwrap_or(source.host()).to_owned())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// `sources` with what `previews` (the server's, by address) add to them.
pub fn fill(sources: &[Source], previews: &[(String, PagePreview)]) -> Vec<Source> {
    sources
        .iter()
        .map(|source| {
            let mut source = source.clone();
            if let Some((_, preview)) = previews.iter().find(|(url, _)| *url == source.link) {
                source.fill(preview);
            }
            source
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::conversation::{Delivery, Direction};

    fn line(kind: &str, text: &str, metadata: Option<Value>, attributes: Option<Value>) -> Line {
        Line {
            key: "k".into(),
            server_id: None,
            text: text.into(),
            sender_name: "Bot".into(),
            direction: Direction::Incoming,
            delivery: Delivery::Sent,
            created_at: None,
            kind: kind.into(),
            metadata,
            attributes,
        }
    }

    #[test]
    fn a_json_list_of_sources_is_read_leniently() {
        let list = r#"```json
        [{"source_name": "docs.example.com/start", "source_file_name": "Getting started",
          "source_description": "How to begin", "source_image": "https://cdn.example/a.png"},
         {"source_name": "https://www.example.com/pricing#plans"},
         {"source_name": "not a link"},
         {"no_name": true},]
        ```"#;
        let sources = parse(list);
        assert_eq!(
            sources,
            [
                Source {
                    link: "https://docs.example.com/start".into(),
                    title: Some("Getting started".into()),
                    description: Some("How to begin".into()),
                    image: Some("https://cdn.example/a.png".into()),
                },
                Source {
                    link: "https://www.example.com/pricing".into(),
                    title: None,
                    description: None,
                    image: None,
                },
            ]
        );
        assert_eq!(sources[1].host(), "example.com");
        assert_eq!(summary(list), "Getting started · example.com");
        assert_eq!(
            summary("see a.example and b.example"),
            "a.example · b.example"
        );
        let quoted = serde_json::to_string(r#"[{"source_name":"a.example"}]"#).unwrap();
        assert_eq!(parse(&quoted)[0].link, "https://a.example/");
    }

    #[test]
    fn addresses_in_text_are_found_once_and_mail_or_odd_schemes_are_not() {
        let text = "See (https://a.example/x), www.b.example. c.example/path?q=1 and \
                    d.example/x; mail me@e.example, javascript:alert(1) ftp://f.example \
                    https://a.example/x again, an.e and localhost:3000.";
        assert_eq!(
            addresses(text, 10),
            [
                "https://a.example/x",
                "https://www.b.example/",
                "https://c.example/path?q=1",
                "https://d.example/x",
            ]
        );
        assert_eq!(addresses(text, 2).len(), 2);
        assert_eq!(
            addresses("HTTP://Example.COM:8080", 1),
            ["http://example.com:8080/"]
        );
    }

    #[test]
    fn the_preview_is_found_on_the_message_its_metadata_or_its_attributes() {
        let root = of(&line(URL_PREVIEW, "https://a.example", None, None)).unwrap();
        assert_eq!(root.sources[0].link, "https://a.example/");
        assert!(root.shown.title && root.shown.image && root.background.is_none());
        let meta = serde_json::json!({
            "type": URL_PREVIEW,
            "text": "b.example",
            "displayFields": {"image": false, "description": null},
            "previewBackgroundColor": "#f5f5f5",
        });
        let nested = of(&line("text", "Here you go", Some(meta), None)).unwrap();
        assert_eq!(nested.sources[0].link, "https://b.example/");
        assert!(!nested.shown.image && nested.shown.description);
        assert_eq!(nested.background.as_deref(), Some("#f5f5f5"));
        assert_eq!(
            nested.style().as_deref(),
            Some("background:#f5f5f5;color:#1a1a1a;--tdw-ink:#1a1a1a;--tdw-muted:#1a1a1a")
        );
        let hostile = serde_json::json!({"type": URL_PREVIEW, "text": "c.example",
            "previewBackgroundColor": "red;background:url(x)"});
        assert_eq!(
            of(&line("text", "", None, Some(hostile)))
                .unwrap()
                .background,
            None
        );
        assert_eq!(of(&line("text", "https://a.example", None, None)), None);
    }

    #[test]
    fn previews_fill_what_is_missing_and_pictures_load_from_https_only() {
        let sources = parse("https://a.example/ https://b.example/");
        let page = PagePreview {
            url: "https://a.example/".into(),
            title: None,
            site_name: Some("A".into()),
            description: Some("About A".into()),
            image: Some("http://a.example/pic.png".into()),
        };
        let filled = fill(&sources, &[("https://a.example/".into(), page)]);
        assert_eq!(filled[0].title.as_deref(), Some("A"));
        assert_eq!(filled[0].description.as_deref(), Some("About A"));
        assert_eq!(filled[0].picture(), None, "http is not loaded");
        assert!(!filled[0].incomplete() && filled[1].incomplete());
        assert_eq!(filled[1], sources[1]);
    }
}
