//! A safe inline subset of HTML (a project's `poweredBy` credit, a bot's `html` message): links,
//! bold, italic, code and line breaks kept as the markdown tree's inlines, headings bold, blocks
//! and list items on lines of their own, every other tag dropped with its text kept, and nothing
//! ever interpreted as markup by the browser.

use crate::inline::{safe_href, MAX_DEPTH};
use crate::Inline;

/// Elements whose content is never text a visitor should see.
const SKIPPED: &[&str] = &[
    "script", "style", "template", "iframe", "object", "noscript", "svg", "math", "title",
];

/// What an open element becomes once closed.
#[derive(Clone, Debug, PartialEq)]
enum Open {
    Bold,
    Italic,
    Code,
    Link(String),
    /// A tag that is not kept (its text is).
    Plain,
}

struct Frame {
    name: String,
    open: Open,
    children: Vec<Inline>,
}

/// Parses `html` into inlines: `<a href>` (web, mail and phone links only), `<b>`/`<strong>`,
/// `<i>`/`<em>`, `<code>`, `<br>`, an image's `alt` text, and entity-decoded text.
pub fn inlines(html: &str) -> Vec<Inline> {
    let mut stack = vec![Frame {
        name: String::new(),
        open: Open::Plain,
        children: Vec::new(),
    }];
    let mut skipping: Option<String> = None;
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if skipping.is_none() {
                push_text(&mut stack, &decode(rest));
            }
            break;
        };
        if skipping.is_none() {
            push_text(&mut stack, &decode(&rest[..lt]));
        }
        rest = &rest[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let Some(gt) = tag_end(rest) else {
            if skipping.is_none() {
                push_text(&mut stack, &decode(rest));
            }
            break;
        };
        let tag = Tag::parse(&rest[1..gt]);
        rest = &rest[gt + 1..];
        let Some(tag) = tag else {
            continue;
        };
        if let Some(name) = &skipping {
            if tag.closing && &tag.name == name {
                skipping = None;
            }
            continue;
        }
        if tag.closing {
            close(&mut stack, &tag.name);
            if is_block(&tag.name) {
                break_line(&mut stack);
            }
        } else if SKIPPED.contains(&tag.name.as_str()) {
            if !tag.self_closing {
                skipping = Some(tag.name);
            }
        } else {
            open(&mut stack, tag);
        }
    }
    while stack.len() > 1 {
        fold(&mut stack);
    }
    let mut inlines = stack.pop().map(|f| f.children).unwrap_or_default();
    while inlines.last() == Some(&Inline::LineBreak) {
        inlines.pop();
    }
    inlines
}

/// Tags whose content starts (and ends) a line of its own.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "li"
            | "ul"
            | "ol"
            | "tr"
            | "table"
            | "blockquote"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "pre"
            | "hr"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
    )
}

/// Ends the line unless it has just been ended (or nothing is on it yet).
fn break_line(stack: &mut [Frame]) {
    let ended = stack
        .iter()
        .rev()
        .find_map(|frame| frame.children.last().map(|last| *last == Inline::LineBreak));
    if ended == Some(false) {
        push(stack, Inline::LineBreak);
    }
}

/// The text `html` shows, without its markup (for a preview or a transcript).
pub fn text(html: &str) -> String {
    plain_text(&inlines(html))
}

fn open(stack: &mut Vec<Frame>, tag: Tag) {
    if is_block(&tag.name) {
        break_line(stack);
    }
    match tag.name.as_str() {
        "br" => return push(stack, Inline::LineBreak),
        "img" => return push_text(stack, tag.attribute("alt").unwrap_or_default()),
        "li" => push_text(stack, "• "),
        _ => {}
    }
    if tag.self_closing || is_void(&tag.name) {
        return;
    }
    let in_link = stack.iter().any(|f| matches!(f.open, Open::Link(_)));
    let open = match tag.name.as_str() {
        _ if stack.len() > MAX_DEPTH => Open::Plain,
        "b" | "strong" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Open::Bold,
        "i" | "em" => Open::Italic,
        "code" => Open::Code,
        "a" if !in_link => tag
            .attribute("href")
            .and_then(safe_href)
            .map_or(Open::Plain, Open::Link),
        _ => Open::Plain,
    };
    stack.push(Frame {
        name: tag.name,
        open,
        children: Vec::new(),
    });
}

/// Closes the innermost element named `name` (and any left open inside it); a stray closing tag
/// is ignored.
fn close(stack: &mut Vec<Frame>, name: &str) {
    let Some(at) = stack.iter().rposition(|f| f.name == name) else {
        return;
    };
    if at == 0 {
        return;
    }
    while stack.len() > at {
        fold(stack);
    }
}

/// Pops the innermost element into its parent.
fn fold(stack: &mut Vec<Frame>) {
    let Some(frame) = stack.pop() else {
        return;
    };
    let children = frame.children;
    match frame.open {
        Open::Bold => push(stack, Inline::Bold(children)),
        Open::Italic => push(stack, Inline::Italic(children)),
        Open::Code => push(stack, Inline::Code(plain_text(&children))),
        Open::Link(href) => push(
            stack,
            Inline::Link {
                href,
                text: children,
            },
        ),
        Open::Plain => {
            for child in children {
                push(stack, child);
            }
        }
    }
}

fn push(stack: &mut [Frame], inline: Inline) {
    let Some(top) = stack.last_mut() else {
        return;
    };
    match (top.children.last_mut(), inline) {
        (Some(Inline::Text(last)), Inline::Text(more)) => last.push_str(&more),
        (_, inline) => top.children.push(inline),
    }
}

fn push_text(stack: &mut [Frame], text: &str) {
    if !text.is_empty() {
        push(stack, Inline::Text(text.to_owned()));
    }
}

fn plain_text(inlines: &[Inline]) -> String {
    inlines
        .iter()
        .map(|inline| match inline {
            Inline::Text(text) | Inline::Code(text) => text.clone(),
            Inline::Bold(inner) | Inline::Italic(inner) | Inline::Link { text: inner, .. } => {
                plain_text(inner)
            }
            Inline::LineBreak => "\n".to_owned(),
            Inline::Image { alt, .. } => alt.clone(),
        })
        .collect()
}

/// Where the tag starting `text` ends: its first `>` outside a quoted attribute value.
fn tag_end(text: &str) -> Option<usize> {
    let mut quote = None;
    let mut after_equals = false;
    for (at, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if after_equals => quote = Some(c),
            (None, '>') => return Some(at),
            _ => {}
        }
        if !c.is_whitespace() {
            after_equals = c == '=';
        }
    }
    None
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "col"
            | "embed"
            | "hr"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

/// One tag: its lower-cased name, whether it closes or closes itself, and its attributes.
struct Tag {
    name: String,
    closing: bool,
    self_closing: bool,
    attributes: Vec<(String, String)>,
}

impl Tag {
    /// The tag inside `<` and `>`; `None` for a declaration or anything that is no tag.
    fn parse(inner: &str) -> Option<Tag> {
        let (closing, inner) = match inner.strip_prefix('/') {
            Some(rest) => (true, rest),
            None => (false, inner),
        };
        let self_closing = inner.ends_with('/');
        let inner = inner.trim_end_matches('/');
        let name_end = inner
            .find(|c: char| c.is_whitespace())
            .unwrap_or(inner.len());
        let name = inner[..name_end].to_ascii_lowercase();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        Some(Tag {
            name,
            closing,
            self_closing,
            attributes: attributes(&inner[name_end..]),
        })
    }

    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// `name="value" name='value' name=value name` pairs, names lower-cased, values entity-decoded.
fn attributes(mut text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    loop {
        text = text.trim_start();
        let name_end = text
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(text.len());
        if name_end == 0 {
            break;
        }
        let name = text[..name_end].to_ascii_lowercase();
        text = text[name_end..].trim_start();
        let value = if let Some(after) = text.strip_prefix('=') {
            let after = after.trim_start();
            let (value, left) = match after.chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let end = body.find(quote).unwrap_or(body.len());
                    (&body[..end], body.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after
                        .find(|c: char| c.is_whitespace())
                        .unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            text = left;
            decode(value)
        } else {
            String::new()
        };
        found.push((name, value));
    }
    found
}

/// Text with its character references decoded (the common named ones and numeric ones); anything
/// else stays as written.
pub fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let reference = rest[1..]
            .find(';')
            .filter(|end| *end <= 10)
            .and_then(|end| Some((character(&rest[1..=end])?, end + 2)));
        match reference {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn character(name: &str) -> Option<char> {
    let numeric = |digits: &str, radix| u32::from_str_radix(digits, radix).ok();
    let code = match name {
        "amp" => Some('&' as u32),
        "lt" => Some('<' as u32),
        "gt" => Some('>' as u32),
        "quot" => Some('"' as u32),
        "apos" => Some('\'' as u32),
        "nbsp" => Some(0xa0),
        "copy" => Some(0xa9),
        "hearts" => Some(0x2665),
        _ => match name.strip_prefix('#') {
            Some(hex) if hex.starts_with(['x', 'X']) => numeric(&hex[1..], 16),
            Some(decimal) => numeric(decimal, 10),
            None => None,
        },
    }?;
    char::from_u32(code).filter(|c| *c != '\0')
}
