//! Markdown: blocks, inlines, links, bounded nesting, pathological inputs and an XSS corpus.

use super::inline::MAX_DEPTH;
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
            Block::Paragraph(x) | Block::Heading { text: x, .. } => walk(x, &mut out),
            Block::List { items, .. } => items.iter().for_each(|x| walk(x, &mut out)),
            Block::Table { head, rows } => head
                .iter()
                .chain(rows.iter().flatten())
                .for_each(|x| walk(x, &mut out)),
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
            Image { src, alt } => count(src) + count(alt),
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
        "![x](javascript:alert(1))",
        "![x](http://plain.example/a.png)",
        "![<img src=x onerror=alert(1)>](https://a.example/x.png)",
        "![x](data:image/svg+xml,<svg onload=alert(1)>)",
        "| <script>alert(1)</script> |\n|---|\n| [x](javascript:alert(1)) |",
        "# <img src=x onerror=alert(1)>",
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
        for inline in all(&blocks) {
            if let Image { src, .. } = inline {
                assert!(src.starts_with("https://"), "{payload:?} → {src:?}");
            }
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

#[test]
fn html_credit_keeps_links_and_emphasis_as_inlines() {
    let credit = "<a target='_blank' rel='noopener' href='https://www.tiledesk.com/?utm_source=widget&amp;x=1'><img src='https://x/logo.svg' alt=''/><span>Powered by <b>Tiledesk</b></span></a>";
    assert_eq!(
        html::inlines(credit),
        vec![link(
            "https://www.tiledesk.com/?utm_source=widget&x=1",
            vec![t("Powered by "), Bold(vec![t("Tiledesk")])]
        )]
    );
    assert_eq!(
        html::inlines("Made with &hearts; by <EM>us</EM><br>&#x41;&#66; &amp;c &unknown; 1 < 2"),
        vec![
            t("Made with ♥ by "),
            Italic(vec![t("us")]),
            LineBreak,
            t("AB &c &unknown; 1 < 2")
        ]
    );
    assert_eq!(
        html::inlines("<img alt=\"Acme\"> <code>a<b>b</b></code>"),
        vec![t("Acme "), Code("ab".into())]
    );
}

#[test]
fn html_drops_scripts_unsafe_links_and_unknown_tags() {
    let cases = [
        ("<script>alert(1)</script>hi", vec![t("hi")]),
        (
            "<style>a{}</style><svg><a href='https://x'>x</a></svg>ok",
            vec![t("ok")],
        ),
        ("<a href='javascript:alert(1)'>click</a>", vec![t("click")]),
        ("<a href=' jav&#x09;ascript:alert(1)'>x</a>", vec![t("x")]),
        ("<a href=\"data:text/html,<script>\">x</a>", vec![t("x")]),
        (
            "<div onclick=\"alert(1)\" style=\"x\">text</div>",
            vec![t("text")],
        ),
        (
            "<a href=https://a.example><a href=https://b.example>in</a></a>",
            vec![link("https://a.example", vec![t("in")])],
        ),
        (
            "</b>stray<!-- <script>alert(1)</script> -->",
            vec![t("stray")],
        ),
        (
            "<b>unclosed <i>both",
            vec![Bold(vec![t("unclosed "), Italic(vec![t("both")])])],
        ),
        ("a <b", vec![t("a <b")]),
        ("<!doctype html><iframe src=x></iframe>", vec![]),
    ];
    for (html, want) in cases {
        assert_eq!(html::inlines(html), want, "{html:?}");
    }
}

#[test]
fn html_nesting_is_bounded() {
    let deep = "<b>".repeat(10_000) + "x";
    let parsed = html::inlines(&deep);
    fn depth(inlines: &[Inline]) -> usize {
        inlines
            .iter()
            .map(|i| match i {
                Bold(inner) | Italic(inner) => 1 + depth(inner),
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }
    assert!(depth(&parsed) <= MAX_DEPTH + 1, "{}", depth(&parsed));
}

#[test]
fn html_blocks_go_on_lines_of_their_own() {
    assert_eq!(
        html::inlines("<h2>Your order</h2><p>Shipped <em>today</em>.</p><ul><li>one</li><li><a href=\"https://t.example/1\">track</a></li></ul><p>Bye</p>"),
        vec![
            Bold(vec![t("Your order")]),
            LineBreak,
            t("Shipped "),
            Italic(vec![t("today")]),
            t("."),
            LineBreak,
            t("• one"),
            LineBreak,
            t("• "),
            link("https://t.example/1", vec![t("track")]),
            LineBreak,
            t("Bye"),
        ]
    );
    assert_eq!(html::inlines("<div><p>a</p></div><br><br>"), vec![t("a")]);
}

#[test]
fn headings_tables_and_https_images() {
    assert_eq!(
        parse("## Your order\nShipped"),
        vec![
            Block::Heading {
                level: 2,
                text: vec![t("Your order")]
            },
            Block::Paragraph(vec![t("Shipped")]),
        ]
    );
    assert_eq!(
        parse("####### seven"),
        vec![Block::Paragraph(vec![t("####### seven")])]
    );
    assert_eq!(
        parse("#hashtag"),
        vec![Block::Paragraph(vec![t("#hashtag")])]
    );
    assert_eq!(
        parse("| Plan | Price |\n|:---|---:|\n| **Pro** | 10 \\| 12 |\n| Free |\nafter"),
        vec![
            Block::Table {
                head: vec![vec![t("Plan")], vec![t("Price")]],
                rows: vec![
                    vec![vec![Bold(vec![t("Pro")])], vec![t("10 | 12")]],
                    vec![vec![t("Free")], vec![]],
                ],
            },
            Block::Paragraph(vec![t("after")]),
        ]
    );
    assert_eq!(
        parse("| not | a table |"),
        vec![Block::Paragraph(vec![t("| not | a table |")])]
    );
    assert_eq!(
        parse("see ![the parcel](https://img.example/p.png) here"),
        vec![Block::Paragraph(vec![
            t("see "),
            Image {
                src: "https://img.example/p.png".into(),
                alt: "the parcel".into()
            },
            t(" here"),
        ])]
    );
    assert_eq!(
        parse("![plain](http://img.example/p.png)"),
        vec![Block::Paragraph(vec![
            t("!"),
            link("http://img.example/p.png", vec![t("plain")])
        ])]
    );
}
