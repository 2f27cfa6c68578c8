//! Safe markdown for chat message text: a small subset parsed into a tree the views render as plain elements.

/// How deep bold, italic and link labels may nest before markers are kept as literal text.
const MAX_DEPTH: usize = 8;

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

/// The address a link may open, or `None` when its scheme isn't allowed.
fn safe_href(url: &str) -> Option<String> {
    let url = url.trim();
    let head = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let allowed = ["http://", "https://", "mailto:", "tel:"]
        .iter()
        .any(|scheme| head.starts_with(scheme) && url.len() > scheme.len());
    let clean = !url.chars().any(|c| c.is_control() || c.is_whitespace());
    (allowed && clean).then(|| url.to_string())
}

fn inlines(text: &str) -> Vec<Inline> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use Inline::*;

    fn t(s: &str) -> Inline {
        Text(s.to_string())
    }

    fn para(text: &str) -> Vec<Inline> {
        match parse(text).as_slice() {
            [Block::Paragraph(inlines)] => inlines.clone(),
            other => panic!("expected one paragraph, got {other:?}"),
        }
    }

    fn link(href: &str, text: Vec<Inline>) -> Inline {
        Link {
            href: href.to_string(),
            text,
        }
    }

    #[test]
    fn paragraphs_and_line_breaks() {
        assert_eq!(parse(""), vec![]);
        assert_eq!(
            parse("one\r\ntwo\n\n\n  three  "),
            vec![
                Block::Paragraph(vec![t("one"), LineBreak, t("two")]),
                Block::Paragraph(vec![t("three")]),
            ]
        );
    }

    #[test]
    fn emphasis_and_code() {
        assert_eq!(
            para("**b** and __b__"),
            vec![Bold(vec![t("b")]), t(" and "), Bold(vec![t("b")])]
        );
        assert_eq!(
            para("*i* _i_"),
            vec![Italic(vec![t("i")]), t(" "), Italic(vec![t("i")])]
        );
        assert_eq!(
            para("snake_case_name and 2*3*4"),
            vec![t("snake_case_name and 2"), Italic(vec![t("3")]), t("4")]
        );
        assert_eq!(
            para("***both***"),
            vec![Bold(vec![Italic(vec![t("both")])])]
        );
        assert_eq!(
            para("*a **b** c*"),
            vec![Italic(vec![t("a "), Bold(vec![t("b")]), t(" c")])]
        );
        assert_eq!(para("**a*"), vec![t("*"), Italic(vec![t("a")])]);
        assert_eq!(para("`a *b* <i>`"), vec![Code("a *b* <i>".into())]);
        assert_eq!(para(r"\*not\* \\"), vec![t(r"*not* \")]);
    }

    #[test]
    fn unclosed_markers_and_html_stay_literal() {
        for s in [
            "**open",
            "*open",
            "_open",
            "`open",
            "[open](x",
            "a * b * c",
            "** x **",
            "<b>hi</b>",
            "``",
        ] {
            assert_eq!(para(s), vec![t(s)], "{s}");
        }
    }

    #[test]
    fn code_blocks() {
        assert_eq!(
            parse("before\n```rust\n  let x = 1;\n\n<b>\n```\nafter"),
            vec![
                Block::Paragraph(vec![t("before")]),
                Block::Code("  let x = 1;\n\n<b>".into()),
                Block::Paragraph(vec![t("after")]),
            ]
        );
        assert_eq!(parse("```x = 1```"), vec![Block::Code("x = 1".into())]);
        assert_eq!(
            parse("```\nno end"),
            vec![Block::Paragraph(vec![t("```"), LineBreak, t("no end")])]
        );
    }

    #[test]
    fn lists() {
        assert_eq!(
            parse("Options:\n- **one**\n* two\n  more\n1. first\n22. second\nafter"),
            vec![
                Block::Paragraph(vec![t("Options:")]),
                Block::List {
                    ordered: false,
                    items: vec![
                        vec![Bold(vec![t("one")])],
                        vec![t("two"), LineBreak, t("more")]
                    ],
                },
                Block::List {
                    ordered: true,
                    items: vec![vec![t("first")], vec![t("second")]]
                },
                Block::Paragraph(vec![t("after")]),
            ]
        );
        assert_eq!(
            para("-1. not a list\n1.5 nor this"),
            vec![t("-1. not a list"), LineBreak, t("1.5 nor this")]
        );
    }

    #[test]
    fn links() {
        assert_eq!(
            para("see [the **docs**](https://x.io/a?b=1) now"),
            vec![
                t("see "),
                link("https://x.io/a?b=1", vec![t("the "), Bold(vec![t("docs")])]),
                t(" now")
            ]
        );
        assert_eq!(
            para("[mail](MAILTO:a@b.c) [](tel:+39)"),
            vec![
                link("MAILTO:a@b.c", vec![t("mail")]),
                t(" "),
                link("tel:+39", vec![t("tel:+39")]),
            ]
        );
        assert_eq!(
            para("[x](javascript:alert(1))"),
            vec![t("[x](javascript:alert(1))")]
        );
        assert_eq!(
            para("[a [b](http://b) c](http://a)"),
            vec![link("http://a", vec![t("a [b](http://b) c")])]
        );
    }

    #[test]
    fn autolinks() {
        assert_eq!(
            para("Go to https://x.io/a_b. Or (http://y.io/p)! HTTP://Z.IO, https://en.wikipedia.org/wiki/A_(b)"),
            vec![
                t("Go to "),
                link("https://x.io/a_b", vec![t("https://x.io/a_b")]),
                t(". Or ("),
                link("http://y.io/p", vec![t("http://y.io/p")]),
                t(")! "),
                link("HTTP://Z.IO", vec![t("HTTP://Z.IO")]),
                t(", "),
                link("https://en.wikipedia.org/wiki/A_(b)", vec![t("https://en.wikipedia.org/wiki/A_(b)")]),
            ]
        );
        for s in [
            "xhttp://a.b",
            "http://",
            "http://.",
            "https:// x",
            "<http://a.b>",
        ] {
            let links = hrefs(&parse(s));
            assert!(links.is_empty() || s.starts_with('<'), "{s}: {links:?}");
        }
        assert_eq!(
            para("**http://a.b**"),
            vec![Bold(vec![link("http://a.b", vec![t("http://a.b")])])]
        );
    }

    #[test]
    fn nesting_is_bounded() {
        fn depth(inlines: &[Inline]) -> usize {
            inlines
                .iter()
                .map(|i| match i {
                    Bold(x) | Italic(x) | Link { text: x, .. } => 1 + depth(x),
                    _ => 0,
                })
                .max()
                .unwrap_or(0)
        }
        let five = "[**a __b *c _d x_ c* b__ a**](http://a)";
        assert_eq!(depth(&para(five)), 5);
        let deep = format!(
            "{}x{}",
            "[**a __b *c _d ".repeat(20),
            " d_ c* b__ a**](http://a)".repeat(20)
        );
        assert!(depth(&para(&deep)) <= MAX_DEPTH);
    }

    #[test]
    fn pathological_inputs_are_fast() {
        let inputs = [
            "*".repeat(100_000),
            "_".repeat(100_000),
            "`".repeat(100_000),
            "[".repeat(100_000),
            "**a".repeat(33_000),
            "*a _b [c](".repeat(10_000),
            "[a](".repeat(25_000),
            "[x]".repeat(33_000) + "(http://a)",
            "http://a".repeat(12_000) + &")".repeat(4_000),
            "- *a\n".repeat(20_000),
            "```\n".repeat(25_000),
            "http://\u{1}".repeat(12_000),
            "(http://a".repeat(12_000),
            "\\*".repeat(50_000),
            "[".repeat(50_000) + &"]".repeat(50_000),
        ];
        for input in &inputs {
            let start = std::time::Instant::now();
            parse(input);
            assert!(
                start.elapsed().as_secs_f64() < 2.0,
                "{:?}… took {:?}",
                &input[..20],
                start.elapsed()
            );
        }
    }

    fn walk<'a>(inlines: &'a [Inline], out: &mut Vec<&'a Inline>) {
        for inline in inlines {
            out.push(inline);
            if let Bold(x) | Italic(x) | Link { text: x, .. } = inline {
                walk(x, out);
            }
        }
    }

    fn all(blocks: &[Block]) -> Vec<&Inline> {
        let mut out = Vec::new();
        for block in blocks {
            match block {
                Block::Paragraph(x) => walk(x, &mut out),
                Block::List { items, .. } => items.iter().for_each(|x| walk(x, &mut out)),
                Block::Code(_) => {}
            }
        }
        out
    }

    fn hrefs(blocks: &[Block]) -> Vec<String> {
        all(blocks)
            .into_iter()
            .filter_map(|i| match i {
                Link { href, .. } => Some(href.clone()),
                _ => None,
            })
            .collect()
    }

    /// Every character of raw text kept, as text, code or an address.
    fn chars(blocks: &[Block], wanted: char) -> usize {
        let count = |s: &str| s.chars().filter(|&c| c == wanted).count();
        let code: usize = blocks
            .iter()
            .map(|b| match b {
                Block::Code(s) => count(s),
                _ => 0,
            })
            .sum();
        code + all(blocks)
            .into_iter()
            .map(|i| match i {
                Text(s) | Code(s) => count(s),
                Link { href, text } if text != &vec![Text(href.clone())] => count(href),
                _ => 0,
            })
            .sum::<usize>()
    }

    #[test]
    fn xss_corpus_never_yields_unsafe_links_or_markup() {
        let corpus = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<svg onload=alert(1)>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "\"><script>alert(1)</script>",
            "'><img src=x onerror=alert(1)>",
            "&lt;script&gt;alert(1)&lt;/script&gt;",
            "<iframe src=\"javascript:alert(1)\"></iframe>",
            "<body onload=alert(1)>",
            "<style>*{background:url(javascript:alert(1))}</style>",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            "<details open ontoggle=alert(1)>",
            "<input autofocus onfocus=alert(1)>",
            "<object data=\"data:text/html,<script>alert(1)</script>\">",
            "[x](javascript:alert(1))",
            "[x](JAVASCRIPT:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x]( javascript:alert(1))",
            "[x](java\tscript:alert(1))",
            "[x](java\nscript:alert(1))",
            "[x](java\u{0}script:alert(1))",
            "[x](\u{1}javascript:alert(1))",
            "[x](javascript&colon;alert(1))",
            "[x](javascript&#58;alert(1))",
            "[x](&#106;avascript:alert(1))",
            "[x](\\u006aavascript:alert(1))",
            "[x](%6Aavascript:alert(1))",
            "[x](data:text/html,<script>alert(1)</script>)",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "[x](vbscript:msgbox(1))",
            "[x](//evil.example)",
            "[x](\\\\evil.example)",
            "[x](/\\evil.example)",
            "[x](file:///etc/passwd)",
            "[x](http:\u{200b}//a) [y](ｊavascript:alert(1))",
            "[x](https://ok.example\u{7f})",
            "[x](https://ok.example\u{85}x)",
            "[x](https://ok.example\u{2028}x)",
            "[[x](javascript:alert(1))](https://ok.example)",
            "[x](https://ok.example)(javascript:alert(1))",
            "[x]([y](javascript:alert(1)))",
            "[<img src=x onerror=alert(1)>](https://ok.example)",
            "[x](https://ok.example\"onmouseover=\"alert(1))",
            "**<script>alert(1)</script>**",
            "*<svg/onload=alert(1)>*",
            "`<script>alert(1)</script>`",
            "```\n<script>alert(1)</script>\n```",
            "- <img src=x onerror=alert(1)>\n- [x](javascript:alert(1))",
            "javascript:alert(1)",
            "http://<script>alert(1)</script>",
            "https://a.example/<img src=x onerror=alert(1)>",
            "<http://a.example/\"onclick=alert(1)>",
            "[x](\u{feff}javascript:alert(1))",
            "[x](javascript\u{0}:alert(1))",
            "[x](  JAVASCRIPT:alert(1)  )",
            "[x](mailto:a@b.c?body=<script>)",
            "\\[x](javascript:alert(1))",
            "[x]\\(javascript:alert(1))",
            "<<script>script>alert(1)<</script>/script>",
            "<!--<script>-->alert(1)",
            "<![CDATA[<script>alert(1)</script>]]>",
        ];
        assert!(corpus.len() >= 50);
        for payload in corpus {
            let blocks = parse(payload);
            for href in hrefs(&blocks) {
                let lower = href.to_ascii_lowercase();
                assert!(
                    ["http://", "https://", "mailto:", "tel:"]
                        .iter()
                        .any(|s| lower.starts_with(s)),
                    "{payload:?} → {href:?}"
                );
                assert!(
                    !href.chars().any(|c| c.is_control() || c.is_whitespace()),
                    "{payload:?} → {href:?}"
                );
                assert!(!lower.contains("javascript:"), "{payload:?} → {href:?}");
            }
            // Nothing is interpreted as markup: every angle bracket survives as text.
            for c in ['<', '>'] {
                assert_eq!(
                    chars(&blocks, c),
                    payload.matches(c).count(),
                    "{payload:?} → {blocks:?}"
                );
            }
        }
    }
}
