//! Which lines of a long conversation the message list renders (the newest ones, plus earlier pages
//! the visitor revealed) and the day separators above them, computed from every line before.

use crate::core::conversation::Line;

/// The rendered lines of a conversation, as indexes into its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageWindow {
    /// The first rendered line; the lines before it are older and not rendered.
    pub start: usize,
    /// The first line of the live part; `start..live_from` are earlier lines the visitor revealed.
    pub live_from: usize,
}

impl MessageWindow {
    /// The newest `shown` of `len` lines, whose live part starts at `live_from` when that is among them.
    pub fn new(len: usize, shown: usize, live_from: Option<usize>) -> Self {
        let start = len.saturating_sub(shown);
        Self {
            start,
            live_from: live_from.unwrap_or(start).clamp(start, len),
        }
    }

    /// Whether older lines exist above the rendered ones.
    pub fn has_older(&self) -> bool {
        self.start > 0
    }
}

/// The day separator above each of `lines[start..]`: the line's day (`day_of` its creation time, `None`
/// if that does not parse) where it differs from the day of the last dated line before it, rendered or not.
pub fn day_separators(
    lines: &[Line],
    start: usize,
    day_of: impl Fn(&str) -> Option<String>,
) -> Vec<Option<String>> {
    let day = |line: &Line| line.created_at.as_deref().map(&day_of);
    let mut previous = lines[..start].iter().rev().find_map(day);
    lines[start..]
        .iter()
        .map(|line| {
            let day = day(line);
            let separator = day.clone().flatten().filter(|_| day != previous);
            if day.is_some() {
                previous = day;
            }
            separator
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::conversation::{Delivery, Direction};

    fn line(created_at: Option<&str>) -> Line {
        Line {
            key: format!("{created_at:?}"),
            server_id: None,
            text: String::new(),
            sender_name: String::new(),
            direction: Direction::Incoming,
            delivery: Delivery::Sent,
            created_at: created_at.map(str::to_owned),
            kind: "text".into(),
            metadata: None,
            attributes: None,
        }
    }

    /// The date part of an ISO-8601 time; "bad" does not parse.
    fn date(iso: &str) -> Option<String> {
        (iso != "bad").then(|| iso[..10].to_owned())
    }

    #[test]
    fn the_window_holds_the_newest_lines_and_its_live_part_stays_inside_it() {
        let window = MessageWindow::new(120, 50, None);
        assert_eq!((window.start, window.live_from), (70, 70));
        assert!(window.has_older());
        let revealed = MessageWindow::new(120, 100, Some(70));
        assert_eq!((revealed.start, revealed.live_from), (20, 70));
        let slid = MessageWindow::new(200, 100, Some(70));
        assert_eq!(
            (slid.start, slid.live_from),
            (100, 100),
            "a live part the window moved past starts at the window"
        );
        let short = MessageWindow::new(10, 50, Some(30));
        assert_eq!((short.start, short.live_from), (0, 10));
        assert!(!short.has_older());
        assert_eq!(MessageWindow::new(0, 50, None).live_from, 0);
    }

    #[test]
    fn separators_at_the_window_edge_come_from_the_lines_before_it() {
        let lines = [
            line(Some("2026-11-19T10:00:00Z")),
            line(Some("2026-11-20T09:00:00Z")),
            line(Some("2026-11-20T10:00:00Z")),
            line(None),
            line(Some("2026-11-20T11:00:00Z")),
            line(Some("2026-11-21T08:00:00Z")),
        ];
        let all = day_separators(&lines, 0, date);
        assert_eq!(
            all,
            [
                Some("2026-11-19".into()),
                Some("2026-11-20".into()),
                None,
                None,
                None,
                Some("2026-11-21".into())
            ]
        );
        for start in 0..lines.len() {
            assert_eq!(
                day_separators(&lines, start, date),
                all[start..],
                "from {start}"
            );
        }
    }

    #[test]
    fn an_unreadable_time_starts_a_new_day_without_a_separator() {
        let lines = [
            line(Some("2026-11-20T09:00:00Z")),
            line(Some("bad")),
            line(Some("2026-11-20T10:00:00Z")),
        ];
        assert_eq!(
            day_separators(&lines, 0, date),
            [Some("2026-11-20".into()), None, Some("2026-11-20".into())]
        );
        assert_eq!(day_separators(&lines, 2, date), [Some("2026-11-20".into())]);
    }
}
