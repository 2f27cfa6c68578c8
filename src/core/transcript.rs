//! The transcript the visitor downloads from the header menu (`allowTranscriptDownload`): a
//! plain-text file of the conversation, made in the browser.

use crate::core::conversation::{Direction, Line};

/// The transcript of `lines`, headed by `heading` and the conversation's `title`; the visitor's
/// own lines are signed `you`, times are UTC.
pub fn transcript(heading: &str, title: &str, lines: &[Line], you: &str) -> String {
    let mut text = format!("{heading}: {title}\n\n");
    for line in lines.iter().filter(|line| line.server_id.is_some()) {
        let who = match line.direction {
            Direction::Outgoing => you,
            Direction::Incoming if line.sender_name.is_empty() => "-",
            Direction::Incoming => &line.sender_name,
        };
        let when = line
            .created_at
            .as_deref()
            .map(utc_minute)
            .unwrap_or_default();
        let body = match (line.kind.as_str(), source(line)) {
            ("text", _) | (_, None) => line.text.clone(),
            (_, Some(src)) if line.text.is_empty() => src,
            (_, Some(src)) => format!("{} ({src})", line.text),
        };
        text.push_str(&format!(
            "[{when}] {who}: {}\n",
            body.replace('\n', "\n    ")
        ));
    }
    text
}

/// The file name of the transcript of conversation `request_id`.
pub fn file_name(request_id: &str) -> String {
    let safe: String = request_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("transcript-{safe}.txt")
}

/// `2026-12-03T07:10:12.000Z` as `2026-12-03 07:10 UTC`.
fn utc_minute(iso: &str) -> String {
    match (iso.get(..10), iso.get(11..16)) {
        (Some(day), Some(time)) => format!("{day} {time} UTC"),
        _ => iso.to_owned(),
    }
}

/// The address of an image or file a message carries.
fn source(line: &Line) -> Option<String> {
    line.metadata
        .as_ref()?
        .get("src")?
        .as_str()
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::conversation::Delivery;
    use serde_json::json;

    fn line(direction: Direction, sender: &str, text: &str, kind: &str) -> Line {
        Line {
            key: text.into(),
            server_id: Some(text.into()),
            text: text.into(),
            sender_name: sender.into(),
            direction,
            delivery: Delivery::Sent,
            created_at: Some("2026-12-03T07:10:12.000Z".into()),
            kind: kind.into(),
            metadata: None,
            attributes: None,
        }
    }

    #[test]
    fn a_transcript_names_who_wrote_what_and_when() {
        let mut image = line(Direction::Incoming, "Ada", "", "image");
        image.metadata = Some(json!({ "src": "https://example.com/a.png" }));
        let mut pending = line(Direction::Outgoing, "", "not sent yet", "text");
        pending.server_id = None;
        let lines = [
            line(Direction::Outgoing, "", "Hello\nthere", "text"),
            line(Direction::Incoming, "Ada", "Hi!", "text"),
            image,
            pending,
        ];
        assert_eq!(
            transcript("Conversation transcript", "Support", &lines, "You"),
            "Conversation transcript: Support\n\n\
             [2026-12-03 07:10 UTC] You: Hello\n    there\n\
             [2026-12-03 07:10 UTC] Ada: Hi!\n\
             [2026-12-03 07:10 UTC] Ada: https://example.com/a.png\n"
        );
    }

    #[test]
    fn the_file_name_is_safe() {
        assert_eq!(
            file_name("support-group-p-1/../x"),
            "transcript-support-group-p-1____x.txt"
        );
    }
}
