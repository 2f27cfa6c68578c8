//! Safe markdown for chat message text: a small subset parsed into a tree the views render as plain elements.

pub mod html;
mod inline;
#[cfg(all(feature = "view", target_arch = "wasm32"))]
pub mod view;

use inline::inlines;

/// A block of message text.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Paragraph(Vec<Inline>),
    List {
        ordered: bool,
        items: Vec<Vec<Inline>>,
    },
    Code(String),
}

/// A run of text inside a block.
#[derive(Clone, Debug, PartialEq)]
pub enum Inline {
    Text(String),
    Bold(Vec<Inline>),
    Italic(Vec<Inline>),
    Code(String),
    /// `href` is always an `http:`, `https:`, `mailto:` or `tel:` address.
    Link {
        href: String,
        text: Vec<Inline>,
    },
    LineBreak,
}

/// Parses message text; raw HTML is never interpreted and unsafe links stay plain text.
pub fn parse(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut blocks = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut list: Option<(bool, Vec<String>)> = None;
    let mut i = 0;
    while i < lines.len() {
        let (line, trimmed) = (lines[i], lines[i].trim());
        i += 1;
        if let Some(rest) = trimmed.strip_prefix("```") {
            if let Some(code) = rest.strip_suffix("```").filter(|c| !c.trim().is_empty()) {
                flush(&mut blocks, &mut para, &mut list);
                blocks.push(Block::Code(code.trim().to_string()));
                continue;
            }
            // Only the first unclosed fence searches to the end: a later fence line would close it.
            if let Some(len) = lines[i..]
                .iter()
                .position(|l| l.trim_start().starts_with("```"))
            {
                flush(&mut blocks, &mut para, &mut list);
                blocks.push(Block::Code(lines[i..i + len].join("\n")));
                i += len + 1;
                continue;
            }
        }
        if trimmed.is_empty() {
            flush(&mut blocks, &mut para, &mut list);
        } else if let Some((ordered, item)) = list_item(trimmed) {
            if !matches!(&list, Some((o, _)) if *o == ordered) {
                flush(&mut blocks, &mut para, &mut list);
            }
            list.get_or_insert_with(|| (ordered, Vec::new()))
                .1
                .push(item.trim_start().to_string());
        } else if let (true, Some((_, items))) = (line.starts_with(char::is_whitespace), &mut list)
        {
            // An indented line continues the previous item.
            let last = items.last_mut().expect("a list always has an item");
            last.push('\n');
            last.push_str(trimmed);
        } else {
            if list.is_some() {
                flush(&mut blocks, &mut para, &mut list);
            }
            para.push(trimmed);
        }
    }
    flush(&mut blocks, &mut para, &mut list);
    blocks
}

fn flush(blocks: &mut Vec<Block>, para: &mut Vec<&str>, list: &mut Option<(bool, Vec<String>)>) {
    if !para.is_empty() {
        blocks.push(Block::Paragraph(inlines(&para.join("\n"))));
        para.clear();
    }
    if let Some((ordered, items)) = list.take() {
        let items = items.iter().map(|item| inlines(item)).collect();
        blocks.push(Block::List { ordered, items });
    }
}

/// `- x`, `* x` (unordered) or `1. x` (ordered): the kind and the item's text.
fn list_item(line: &str) -> Option<(bool, &str)> {
    if let Some(rest) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
        return Some((false, rest));
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = line[digits..].strip_prefix(". ")?;
    (1..10).contains(&digits).then_some((true, rest))
}

#[cfg(test)]
mod tests;
