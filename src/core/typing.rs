//! Typing in a conversation: where the widget shows the other side's typing (`typingLocation`),
//! how often it tells the server the visitor is typing, and when a shown indicator lapses.

use serde::Serialize;

/// While the visitor keeps typing, "typing" is repeated no more often than this.
pub const REPEAT_MS: f64 = 3_000.0;
/// The visitor is taken to have stopped after this long without a keystroke.
pub const IDLE_MS: u32 = 4_000;
/// An indicator not renewed (nor ended by a message) for this long goes away.
pub const LAPSE_MS: u32 = 6_000;

/// Where the other side's typing shows, as the Tiledesk widget's `typingLocation` puts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TypingLocation {
    /// Three dots as a message bubble at the end of the conversation (Tiledesk's default).
    #[default]
    Content,
    /// "Name is writing..." under the title in the header.
    Header,
}

impl TypingLocation {
    /// The setting's value; anything but `header` is the default.
    pub fn parse(value: Option<&str>) -> Self {
        match value.map(str::trim) {
            Some(v) if v.eq_ignore_ascii_case("header") => TypingLocation::Header,
            _ => TypingLocation::Content,
        }
    }
}

/// What the visitor's own typing tells the server: a "typing" when they start and again every
/// [`REPEAT_MS`] while they go on, one "stopped" when they stop or send.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OwnTyping {
    /// When "typing" was last told, while typing.
    told_at: Option<f64>,
}

impl OwnTyping {
    /// A keystroke at `now_ms` that leaves the box `empty` or not: the frame to send, if any
    /// (`Some(true)` typing, `Some(false)` stopped).
    pub fn keystroke(&mut self, now_ms: f64, empty: bool) -> Option<bool> {
        if empty {
            return self.stop();
        }
        match self.told_at {
            Some(at) if now_ms - at < REPEAT_MS => None,
            _ => {
                self.told_at = Some(now_ms);
                Some(true)
            }
        }
    }

    /// The visitor stopped (idle, sent, or left): `Some(false)` once if "typing" was told.
    pub fn stop(&mut self) -> Option<bool> {
        self.told_at.take().map(|_| false)
    }
}

/// The label of someone typing in the header: `name` followed by the "is writing" text, or the
/// text alone when the name is unknown.
pub fn writing_label(name: &str, is_writing: &str) -> String {
    match name.trim() {
        "" => is_writing.to_owned(),
        name => format!("{name} {is_writing}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_is_told_on_start_then_at_most_every_repeat_and_stopped_once() {
        let mut own = OwnTyping::default();
        assert_eq!(own.keystroke(0.0, false), Some(true));
        assert_eq!(own.keystroke(1_000.0, false), None);
        assert_eq!(own.keystroke(2_999.0, false), None);
        assert_eq!(own.keystroke(3_000.0, false), Some(true));
        assert_eq!(
            own.keystroke(3_500.0, true),
            Some(false),
            "emptying the box stops"
        );
        assert_eq!(own.stop(), None, "stopped is told once");
        assert_eq!(
            own.keystroke(3_600.0, false),
            Some(true),
            "starting again is told at once"
        );
        assert_eq!(own.stop(), Some(false));
    }

    #[test]
    fn location_follows_the_setting_with_content_by_default() {
        assert_eq!(TypingLocation::parse(None), TypingLocation::Content);
        assert_eq!(
            TypingLocation::parse(Some("content")),
            TypingLocation::Content
        );
        assert_eq!(
            TypingLocation::parse(Some(" Header ")),
            TypingLocation::Header
        );
        assert_eq!(
            TypingLocation::parse(Some("sidebar")),
            TypingLocation::Content
        );
    }

    #[test]
    fn the_writer_is_named_when_known() {
        assert_eq!(writing_label("Ada", "is writing..."), "Ada is writing...");
        assert_eq!(writing_label(" ", "is writing..."), "is writing...");
    }
}
