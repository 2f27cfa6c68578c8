//! What a page says about itself: its `<title>` and its `og:`, `twitter:` and `description` meta
//! tags, read from the page's HTML without running or loading anything.

use std::collections::HashMap;

/// Longest title kept, in characters.
const MAX_TITLE: usize = 200;
/// Longest description kept, in characters.
const MAX_DESCRIPTION: usize = 400;
/// Longest site name kept, in characters.
const MAX_SITE_NAME: usize = 100;

/// The fields of a page's preview, as written in the page (the picture not yet resolved).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Meta {
    pub title: Option<String>,
    pub description: Option<String>,
    pub image: Option<String>,
    pub site_name: Option<String>,
}

/// The preview fields of `html`, each from the first tag naming it: the title from `og:title`
/// or `<title>`, the description from `og:description` or `description`, the picture from
/// `og:image` or `twitter:image` and the site from `og:site_name`, as Tiledesk reads them.
pub fn extract(html: &str) -> Meta {
    let lower = html.to_ascii_lowercase();
    let mut tags: HashMap<String, String> = HashMap::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find("<meta") {
        let start = from + at + "<meta".len();
        let (attributes, end) = attributes(html, start);
        from = end;
        let key = attributes
            .get("property")
            .or_else(|| attributes.get("name"))
            .map(|key| key.to_ascii_lowercase());
        if let (Some(key), Some(content)) = (key, attributes.get("content")) {
            tags.entry(key).or_insert_with(|| content.clone());
        }
    }
    let tag = |names: &[&str], max: usize| {
        names
            .iter()
            .find_map(|name| tags.get(*name).and_then(|value| clean(value, max)))
    };
    Meta {
        title: tag(&["og:title"], MAX_TITLE).or_else(|| title(html, &lower)),
        description: tag(&["og:description", "description"], MAX_DESCRIPTION),
        image: tag(&["og:image", "twitter:image"], 2048),
        site_name: tag(&["og:site_name"], MAX_SITE_NAME),
    }
}

/// The text of the page's `<title>`.
fn title(html: &str, lower: &str) -> Option<String> {
    let open = lower.find("<title")?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find("</title")?;
    clean(&html[start..end], MAX_TITLE)
}

/// The attributes of the tag whose name ends at `start` (names lower-cased, values as written),
/// and where the tag ends.
fn attributes(html: &str, start: usize) -> (HashMap<String, String>, usize) {
    let bytes = html.as_bytes();
    let mut at = start;
    let mut found = HashMap::new();
    let skip_space = |at: &mut usize| {
        while *at < bytes.len() && (bytes[*at].is_ascii_whitespace() || bytes[*at] == b'/') {
            *at += 1;
        }
    };
    loop {
        skip_space(&mut at);
        if at >= bytes.len() || bytes[at] == b'>' {
            return (found, (at + 1).min(bytes.len()));
        }
        let name_start = at;
        while at < bytes.len() && !bytes[at].is_ascii_whitespace() && !b"=>/".contains(&bytes[at]) {
            at += 1;
        }
        let name = html[name_start..at].to_ascii_lowercase();
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if at < bytes.len() && bytes[at] == b'=' {
            at += 1;
            while at < bytes.len() && bytes[at].is_ascii_whitespace() {
                at += 1;
            }
            let value = if at < bytes.len() && (bytes[at] == b'"' || bytes[at] == b'\'') {
                let quote = bytes[at];
                let value_start = at + 1;
                let value_end = html[value_start..]
                    .bytes()
                    .position(|b| b == quote)
                    .map_or(bytes.len(), |len| value_start + len);
                at = (value_end + 1).min(bytes.len());
                &html[value_start..value_end]
            } else {
                let value_start = at;
                while at < bytes.len() && !bytes[at].is_ascii_whitespace() && bytes[at] != b'>' {
                    at += 1;
                }
                &html[value_start..at]
            };
            found.entry(name).or_insert_with(|| value.to_owned());
        } else if name.is_empty() {
            at += 1;
        }
    }
}

/// `text` with its character references decoded, its white space collapsed and cut to `max`
/// characters; `None` when nothing is left.
fn clean(text: &str, max: usize) -> Option<String> {
    let decoded = tiledesk_markdown::html::decode(text);
    let mut out = String::new();
    for word in decoded.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.chars().count() > max {
        out = out.chars().take(max - 1).collect::<String>() + "…";
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_graph_tags_come_first_then_the_title_and_description() {
        let page = r#"<!doctype html><html><head>
            <TITLE> The  page
              title </TITLE>
            <meta name="description" content="Plain description">
            <meta content='OG &amp; description' property='og:description' />
            <meta property=og:image content=https://cdn.example/a.png>
            <meta property="og:site_name" content="Example">
            </head><body><meta name="description" content="later"></body></html>"#;
        assert_eq!(
            extract(page),
            Meta {
                title: Some("The page title".into()),
                description: Some("OG & description".into()),
                image: Some("https://cdn.example/a.png".into()),
                site_name: Some("Example".into()),
            }
        );
        let og = r#"<title>t</title><meta property="og:title" content="OG title">"#;
        assert_eq!(extract(og).title.as_deref(), Some("OG title"));
    }

    #[test]
    fn references_are_decoded_once_and_markup_stays_text() {
        let page = r#"<meta property="og:title" content="&lt;script&gt;alert(1)&lt;/script&gt; &#233;t&#xE9; &amp;amp; &bogus; &#0;">"#;
        assert_eq!(
            extract(page).title.as_deref(),
            Some("<script>alert(1)</script> été &amp; &bogus; &#0;")
        );
    }

    #[test]
    fn broken_pages_give_what_they_can_and_never_panic() {
        for page in [
            "",
            "<meta",
            "<meta content=\"x",
            "<title>never closed",
            "<meta name=description content=>",
            "<meta =x name=\"description\" content=\"ok\">",
            "<title>é</title><meta name='a' content='é",
        ] {
            let _ = extract(page);
        }
        assert_eq!(
            extract("<meta =x name=\"description\" content=\"ok\">").description,
            Some("ok".into())
        );
        let long = format!("<title>{}</title>", "a".repeat(500));
        assert_eq!(extract(&long).title.unwrap().chars().count(), MAX_TITLE);
    }
}
