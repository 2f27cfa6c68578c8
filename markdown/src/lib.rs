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
    /// `#` to `######`: level 1 to 6.
    Heading {
        level: u8,
        text: Vec<Inline>,
    },
    List {
        ordered: bool,
        items: Vec<Vec<Inline>>,
    },
    Code(String),
    /// A pipe table: its header cells and its rows of cells (at most `MAX_COLUMNS` each).
    Table {
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
}

/// Cells a table keeps per row.
const MAX_COLUMNS: usize = 20;

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
    /// `![alt](https://…)`: only from `https:` addresses.
    Image {
        src: String,
        alt: String,
    },
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
        } else if let Some((level, text)) = heading(trimmed) {
            flush(&mut blocks, &mut para, &mut list);
            blocks.push(Block::Heading {
                level,
                text: inlines(text),
            });
        } else if let Some(count) = table_rows(trimmed, &lines[i..]) {
            flush(&mut blocks, &mut para, &mut list);
            let head = cells(trimmed);
            let width = head.len();
            let rows = lines[i + 1..i + 1 + count]
                .iter()
                .map(|row| {
                    let mut row = cells(row.trim());
                    row.resize_with(width, Vec::new);
                    row
                })
                .collect();
            blocks.push(Block::Table { head, rows });
            i += count + 1;
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

/// `# x` to `###### x`: the level and the heading's text.
fn heading(line: &str) -> Option<(u8, &str)> {
    let level = line.bytes().take_while(|&b| b == b'#').count();
    let text = line[level..].strip_prefix(' ')?.trim();
    ((1..=6).contains(&level) && !text.is_empty()).then_some((level as u8, text))
}

/// When `line` heads a pipe table (the next line is its `|---|:--:|` delimiter), how many body
/// rows follow the delimiter.
fn table_rows(line: &str, next: &[&str]) -> Option<usize> {
    let delimiter = next.first()?.trim();
    let is_delimiter = delimiter.starts_with('|')
        && delimiter.contains('-')
        && delimiter
            .chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' '));
    if !line.starts_with('|') || !is_delimiter {
        return None;
    }
    Some(
        next[1..]
            .iter()
            .take_while(|row| row.trim().starts_with('|'))
            .count(),
    )
}

/// A table row's cells, between its pipes (an escaped `\|` stays in its cell).
fn cells(row: &str) -> Vec<Vec<Inline>> {
    let inner = row.strip_prefix('|').unwrap_or(row);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '|' => cells.push(std::mem::take(&mut cell)),
            c => cell.push(c),
        }
    }
    cells.push(cell);
    cells
        .iter()
        .take(MAX_COLUMNS)
        .map(|cell| inlines(cell.trim()))
        .collect()
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
