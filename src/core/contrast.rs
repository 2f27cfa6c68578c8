//! WCAG 2.x colour contrast, used to keep text on the theme colour readable.

/// The 16 basic CSS colour keywords.
const NAMED: [(&str, u32); 16] = [
    ("black", 0x000000),
    ("silver", 0xc0c0c0),
    ("gray", 0x808080),
    ("white", 0xffffff),
    ("maroon", 0x800000),
    ("red", 0xff0000),
    ("purple", 0x800080),
    ("fuchsia", 0xff00ff),
    ("green", 0x008000),
    ("lime", 0x00ff00),
    ("olive", 0x808000),
    ("yellow", 0xffff00),
    ("navy", 0x000080),
    ("blue", 0x0000ff),
    ("teal", 0x008080),
    ("aqua", 0x00ffff),
];

/// An opaque colour from `#rgb[a]`, `#rrggbb[aa]`, `rgb[a](…)` or a basic keyword; alpha is ignored.
pub fn parse_colour(css: &str) -> Option<(u8, u8, u8)> {
    let css = css.trim().to_ascii_lowercase();
    if let Some(hex) = css.strip_prefix('#') {
        let d: Vec<u8> = hex
            .chars()
            .map(|c| Some(c.to_digit(16)? as u8))
            .collect::<Option<_>>()?;
        return match d.len() {
            3 | 4 => Some((d[0] * 17, d[1] * 17, d[2] * 17)),
            6 | 8 => Some((d[0] * 16 + d[1], d[2] * 16 + d[3], d[4] * 16 + d[5])),
            _ => None,
        };
    }
    if let Some(args) = css
        .strip_prefix("rgba(")
        .or_else(|| css.strip_prefix("rgb("))
        .and_then(|rest| rest.strip_suffix(')'))
    {
        let parts: Vec<&str> = args
            .split([',', ' ', '/'])
            .filter(|p| !p.is_empty())
            .collect();
        if !(3..=4).contains(&parts.len()) {
            return None;
        }
        let channel = |p: &str| {
            let value = match p.strip_suffix('%') {
                Some(percent) => number(percent)? * 255.0 / 100.0,
                None => number(p)?,
            };
            Some((value.min(255.0) + 0.5) as u8)
        };
        return Some((channel(parts[0])?, channel(parts[1])?, channel(parts[2])?));
    }
    let &(_, rgb) = NAMED.iter().find(|(name, _)| *name == css)?;
    Some(((rgb >> 16) as u8, (rgb >> 8) as u8, rgb as u8))
}

/// A non-negative decimal such as `12` or `12.5` (without pulling in float parsing).
fn number(s: &str) -> Option<f64> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut value = 0.0;
    for (k, b) in int.bytes().chain(frac.bytes()).enumerate() {
        if !b.is_ascii_digit() {
            return None;
        }
        let digit = f64::from(b - b'0');
        value = match k.checked_sub(int.len()) {
            None => value * 10.0 + digit,
            Some(place) => value + digit / 10f64.powi(place as i32 + 1),
        };
    }
    Some(value)
}

/// The WCAG contrast ratio of two colours, from 1 to 21.
pub fn contrast_ratio(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            // x^2.4 = x² · x^0.4, with x^0.4 from the binary digits of 0.4 as repeated square
            // roots (`f64.sqrt` is one instruction; `powf` would pull in 2 KB of libm).
            let x = (c + 0.055) / 1.055;
            let (mut result, mut root, mut exponent) = (x * x, x, 0.4);
            for _ in 0..40 {
                root = root.sqrt();
                exponent *= 2.0;
                if exponent >= 1.0 {
                    exponent -= 1.0;
                    result *= root;
                }
            }
            result
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/// `wanted` if it reaches 4.5:1 on `background` (or the background is unknown), else white or
/// near-black, whichever contrasts more.
pub fn readable_foreground(background: &str, wanted: &str) -> String {
    let Some(bg) = parse_colour(background) else {
        return wanted.to_string();
    };
    if parse_colour(wanted).is_some_and(|fg| contrast_ratio(fg, bg) >= 4.5) {
        return wanted.to_string();
    }
    let light = contrast_ratio((255, 255, 255), bg);
    let dark = contrast_ratio((0x1a, 0x1a, 0x1a), bg);
    (if light >= dark { "#ffffff" } else { "#1a1a1a" }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_css_colours() {
        let cases = [
            ("#2a6ac1", Some((0x2a, 0x6a, 0xc1))),
            (" #2A6AC180 ", Some((0x2a, 0x6a, 0xc1))),
            ("#fc0", Some((0xff, 0xcc, 0x00))),
            ("#fc08", Some((0xff, 0xcc, 0x00))),
            ("rgb(42, 106, 193)", Some((42, 106, 193))),
            ("RGBA(42,106,193,0.5)", Some((42, 106, 193))),
            ("rgb(100%, 50%, 0%)", Some((255, 128, 0))),
            ("rgb(12.5% 300 7.6)", Some((32, 255, 8))),
            ("rgb(42 106 193 / 50%)", Some((42, 106, 193))),
            ("Yellow", Some((255, 255, 0))),
            ("white", Some((255, 255, 255))),
            ("black", Some((0, 0, 0))),
            ("teal", Some((0, 128, 128))),
            ("transparent", None),
            ("", None),
            ("#", None),
            ("#12345", None),
            ("#ggg", None),
            ("#ééé", None),
            ("rgb(1, 2)", None),
            ("rgb(1, 2, 3, 4, 5)", None),
            ("rgb(-1, 2, 3)", None),
            ("rgb(1, 2, x)", None),
            ("rgb(., 2, 3)", None),
            ("rgb(1, 2, 3", None),
            ("hsl(0, 0%, 0%)", None),
            ("rebeccapurple", None),
        ];
        for (css, expected) in cases {
            assert_eq!(parse_colour(css), expected, "{css}");
        }
    }

    #[test]
    fn known_ratios() {
        let close = |a: f64, b: f64| (a - b).abs() < 0.005;
        assert!(close(contrast_ratio((255, 255, 255), (0, 0, 0)), 21.0));
        assert!(close(contrast_ratio((0, 0, 0), (255, 255, 255)), 21.0));
        assert!(close(
            contrast_ratio((0x2a, 0x6a, 0xc1), (0x2a, 0x6a, 0xc1)),
            1.0
        ));
        // Tiledesk's default theme colour on white.
        assert!(close(
            contrast_ratio((0x2a, 0x6a, 0xc1), (255, 255, 255)),
            5.34
        ));
        assert!(close(
            contrast_ratio((0x77, 0x77, 0x77), (255, 255, 255)),
            4.48
        ));
        assert!(close(contrast_ratio((255, 0, 0), (255, 255, 255)), 4.0));
        for c in 11..=255u8 {
            let x = (f64::from(c) / 255.0 + 0.055) / 1.055;
            let exact = 0.2126 * x.powf(2.4);
            assert!((luminance((c, 0, 0)) - exact).abs() < 1e-9, "{c}");
        }
    }

    #[test]
    fn picks_a_readable_foreground() {
        assert_eq!(readable_foreground("#2a6ac1", "#ffffff"), "#ffffff");
        assert_eq!(readable_foreground("yellow", "#ffffff"), "#1a1a1a");
        assert_eq!(readable_foreground("#ffd000", "white"), "#1a1a1a");
        assert_eq!(readable_foreground("#ffd000", "navy"), "navy");
        assert_eq!(readable_foreground("#1a1a1a", "#333333"), "#ffffff");
        assert_eq!(readable_foreground("#2a6ac1", "not a colour"), "#ffffff");
        assert_eq!(readable_foreground("var(--brand)", "#ffffff"), "#ffffff");
        assert_eq!(readable_foreground("transparent", "#eeeeee"), "#eeeeee");
    }
}
