//! Inline markdown inside one block: bold, italic, code, links and autolinks, parsed in
//! near-linear time with nesting bounded.

use super::Inline;

/// How deep bold, italic and link labels may nest before markers are kept as literal text.
pub(crate) const MAX_DEPTH: usize = 8;

pub(super) fn inlines(text: &str) -> Vec<Inline> {
    let parser = Parser::new(text);
    parser.run(0, parser.c.len(), 0, false)
}

/// The text of one block with every possible closing marker found up front, so each opener
/// finds its closer by binary search and parsing stays near-linear.
struct Parser {
    c: Vec<char>,
    /// `esc[i]`: `c[i]` follows an unescaped backslash.
    esc: Vec<bool>,
    /// Closers of `**`, `*`, `__`, `_` (in that order), ascending.
    closers: [Vec<usize>; 4],
    /// Lone backticks, ascending.
    ticks: Vec<usize>,
    /// Unescaped `)`, ascending.
    parens: Vec<usize>,
    /// Unescaped `[`, ascending, each with its matching `]` (`usize::MAX` if none).
    brackets: Vec<(usize, usize)>,
}

impl Parser {
    fn new(text: &str) -> Parser {
        let c: Vec<char> = text.chars().collect();
        let mut esc = vec![false; c.len()];
        for i in 1..c.len() {
            esc[i] = c[i - 1] == '\\' && !esc[i - 1] && c[i].is_ascii_punctuation();
        }
        let mut p = Parser {
            c,
            esc,
            closers: Default::default(),
            ticks: Vec::new(),
            parens: Vec::new(),
            brackets: Vec::new(),
        };
        let mut open = Vec::new();
        for j in 0..p.c.len() {
            let ch = p.c[j];
            if p.esc[j] {
                continue;
            }
            match ch {
                // A run of markers closes `*` at its start if its length is odd, `**` at its end if
                // it has two or more (so `***` closes both).
                '*' | '_' if j == 0 || !p.is(j - 1, ch) => {
                    let mut r = 1;
                    while p.is(j + r, ch) {
                        r += 1;
                    }
                    let word_after = p.c.get(j + r).is_some_and(|&a| word(a));
                    if j > 0 && !p.c[j - 1].is_whitespace() && (ch == '*' || !word_after) {
                        let k = usize::from(ch == '_') * 2;
                        if r % 2 == 1 {
                            p.closers[k + 1].push(j);
                        }
                        if r >= 2 {
                            p.closers[k].push(j + r - 2);
                        }
                    }
                }
                '`' if !(p.is(j + 1, '`') || j > 0 && p.is(j - 1, '`')) => p.ticks.push(j),
                ')' => p.parens.push(j),
                '[' => {
                    open.push(p.brackets.len());
                    p.brackets.push((j, usize::MAX));
                }
                ']' => {
                    if let Some(k) = open.pop() {
                        p.brackets[k].1 = j;
                    }
                }
                _ => {}
            }
        }
        p
    }

    /// `c[i]` is the unescaped marker `ch`.
    fn is(&self, i: usize, ch: char) -> bool {
        self.c.get(i) == Some(&ch) && !self.esc[i]
    }

    fn run(&self, mut i: usize, end: usize, depth: usize, in_link: bool) -> Vec<Inline> {
        let mut out = Vec::new();
        let mut text = String::new();
        while i < end {
            match self.node(i, end, depth, in_link) {
                Some((Inline::Text(t), next)) => {
                    text.push_str(&t);
                    i = next;
                }
                Some((node, next)) => {
                    if !text.is_empty() {
                        out.push(Inline::Text(std::mem::take(&mut text)));
                    }
                    out.push(node);
                    i = next;
                }
                None => {
                    text.push(self.c[i]);
                    i += 1;
                }
            }
        }
        if !text.is_empty() {
            out.push(Inline::Text(text));
        }
        out
    }

    /// The construct starting at `i` and where parsing resumes, or `None` for a literal character.
    fn node(&self, i: usize, end: usize, depth: usize, in_link: bool) -> Option<(Inline, usize)> {
        let c = &self.c;
        let nest = depth < MAX_DEPTH && !self.esc[i];
        match c[i] {
            '\n' => Some((Inline::LineBreak, i + 1)),
            '\\' if self.esc.get(i + 1) == Some(&true) => {
                Some((Inline::Text(String::new()), i + 1))
            }
            '*' | '_' if nest => self.emphasis(i, end, depth, in_link),
            '`' if self.ticks.binary_search(&i).is_ok() => {
                let j = first(&self.ticks, i + 2, end, 1)?;
                Some((Inline::Code(c[i + 1..j].iter().collect()), j + 1))
            }
            '!' if nest && !in_link && self.is(i + 1, '[') => self.image(i, end, depth),
            '[' if nest && !in_link => self.link(i, end, depth),
            'h' | 'H' if !in_link && (i == 0 || !c[i - 1].is_ascii_alphanumeric()) => {
                self.autolink(i, end)
            }
            _ => None,
        }
    }

    fn emphasis(
        &self,
        i: usize,
        end: usize,
        depth: usize,
        in_link: bool,
    ) -> Option<(Inline, usize)> {
        let ch = self.c[i];
        if ch == '_' && i > 0 && word(self.c[i - 1]) {
            return None;
        }
        let double = self.is(i + 1, ch);
        let n = 1 + usize::from(double);
        if self.c.get(i + n).is_none_or(|x| x.is_whitespace()) {
            return None;
        }
        let closers = &self.closers[usize::from(ch == '_') * 2 + usize::from(!double)];
        let j = first(closers, i + n + 1, end, n)?;
        let inner = self.run(i + n, j, depth + 1, in_link);
        Some((
            if double {
                Inline::Bold(inner)
            } else {
                Inline::Italic(inner)
            },
            j + n,
        ))
    }

    fn link(&self, i: usize, end: usize, depth: usize) -> Option<(Inline, usize)> {
        let k = self.brackets.binary_search_by_key(&i, |b| b.0).ok()?;
        let m = self.brackets[k].1;
        if m == usize::MAX || !self.is(m + 1, '(') {
            return None;
        }
        let close = first(&self.parens, m + 2, end, 1)?;
        let url: String = self.c[m + 2..close].iter().collect();
        let node = match safe_href(&url) {
            Some(href) => {
                let mut text = self.run(i + 1, m, depth + 1, true);
                if text.is_empty() {
                    text.push(Inline::Text(href.clone()));
                }
                Inline::Link { href, text }
            }
            None => Inline::Text(self.c[i..=close].iter().collect()),
        };
        Some((node, close + 1))
    }

    /// `![alt](https://…)` as an image; any other address leaves the `!` literal and the rest a link.
    fn image(&self, i: usize, end: usize, depth: usize) -> Option<(Inline, usize)> {
        match self.link(i + 1, end, depth)? {
            (Inline::Link { href, text }, next)
                if href
                    .get(..8)
                    .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://")) =>
            {
                let alt = text
                    .iter()
                    .filter_map(|inline| match inline {
                        Inline::Text(t) if *t != href => Some(t.as_str()),
                        _ => None,
                    })
                    .collect();
                Some((Inline::Image { src: href, alt }, next))
            }
            _ => None,
        }
    }

    /// A bare `http(s)://…` address, without trailing punctuation or an unbalanced `)`.
    fn autolink(&self, i: usize, end: usize) -> Option<(Inline, usize)> {
        let c = &self.c;
        let starts = |prefix: &str| {
            prefix
                .chars()
                .enumerate()
                .all(|(k, p)| i + k < end && c[i + k].eq_ignore_ascii_case(&p))
        };
        let prefix = ["http://", "https://"]
            .into_iter()
            .find(|p| starts(p))?
            .len();
        let mut j = i + prefix;
        while j < end
            && !c[j].is_whitespace()
            && !c[j].is_control()
            && !matches!(c[j], '<' | '>' | '"' | '`')
        {
            j += 1;
        }
        let mut balance: isize = c[i..j]
            .iter()
            .map(|&x| (x == '(') as isize - (x == ')') as isize)
            .sum();
        loop {
            match c[j - 1] {
                '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' => j -= 1,
                ')' if balance < 0 => {
                    balance += 1;
                    j -= 1;
                }
                _ => break,
            }
        }
        if j <= i + prefix {
            return None;
        }
        let href = safe_href(&c[i..j].iter().collect::<String>())?;
        Some((
            Inline::Link {
                text: vec![Inline::Text(href.clone())],
                href,
            },
            j,
        ))
    }
}

/// A letter or digit for `_` word boundaries (non-ASCII counts, avoiding Unicode tables).
fn word(c: char) -> bool {
    c.is_ascii_alphanumeric() || !c.is_ascii()
}

/// The first position in `sorted` at or after `from` whose `len`-character marker ends by `end`.
fn first(sorted: &[usize], from: usize, end: usize, len: usize) -> Option<usize> {
    let at = sorted[sorted.partition_point(|&p| p < from)..].first()?;
    (at + len <= end).then_some(*at)
}

/// The address a link may open, or `None` when its scheme isn't allowed.
pub(crate) fn safe_href(url: &str) -> Option<String> {
    let url = url.trim();
    let head = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let allowed = ["http://", "https://", "mailto:", "tel:"]
        .iter()
        .any(|scheme| head.starts_with(scheme) && url.len() > scheme.len());
    let clean = !url.chars().any(|c| c.is_control() || c.is_whitespace());
    (allowed && clean).then(|| url.to_string())
}
