//! The `detail` payloads of the page's events, shaped as the Tiledesk widget shapes them (its
//! `MessageModel` and `ConversationModel`, and `{global, default_settings, appConfigs}`), with
//! the REST message's own fields beside them.

use serde_json::{json, Map, Value};
use tiledesk_protocol::Message;

/// Message status as the Tiledesk widget counts it: stored by the server.
const SENT: i32 = 100;

/// A message as the Tiledesk widget hands it to listeners (`onMessageCreated`,
/// `onAfterMessageSend`): `uid`, `sender`, `sender_fullname`, `recipient`, `recipient_fullname`,
/// `text`, `type`, `timestamp` (milliseconds), `status`, `attributes`, `metadata`, `channel_type`
/// and `isSender`, beside the REST message's fields (`_id`, `senderFullname`, `createdAt`, …).
pub fn message_model(message: &Message, own_user_id: &str, recipient_fullname: &str) -> Value {
    let mut model = match serde_json::to_value(message) {
        Ok(Value::Object(fields)) => fields,
        _ => Map::new(),
    };
    let sender_fullname = match message.sender_fullname.trim() {
        "" => message.sender.clone(),
        name => name.to_owned(),
    };
    for (key, value) in [
        ("uid", json!(message.id)),
        ("sender", json!(message.sender)),
        ("sender_fullname", json!(sender_fullname)),
        ("recipient", json!(message.recipient)),
        ("recipient_fullname", json!(recipient_fullname)),
        ("text", json!(message.text.trim())),
        ("type", json!(message.kind)),
        ("timestamp", json!(timestamp_ms(&message.created_at))),
        ("status", json!(message.status.max(SENT))),
        (
            "attributes",
            message.attributes.clone().unwrap_or_else(|| json!({})),
        ),
        ("metadata", message.metadata.clone().unwrap_or(Value::Null)),
        ("channel_type", json!(message.channel_type)),
        ("isSender", json!(message.sender == own_user_id)),
    ] {
        model.insert(key.into(), value);
    }
    Value::Object(model)
}

/// The conversation a message updated, as the Tiledesk widget's `ConversationModel`
/// (`onConversationUpdated`).
pub fn conversation_model(last: &Message, own_user_id: &str, recipient_fullname: &str) -> Value {
    let sender_fullname = match last.sender_fullname.trim() {
        "" => last.sender.clone(),
        name => name.to_owned(),
    };
    json!({
        "uid": last.recipient,
        "recipient": last.recipient,
        "recipient_fullname": recipient_fullname,
        "conversation_with": last.recipient,
        "conversation_with_fullname": recipient_fullname,
        "attributes": last.attributes.clone().unwrap_or_else(|| json!({})),
        "channel_type": last.channel_type,
        "last_message_text": last.text,
        "text": last.text,
        "sender": last.sender,
        "sender_fullname": sender_fullname,
        "status": last.status.max(SENT),
        "timestamp": timestamp_ms(&last.created_at),
        "type": last.kind,
        "is_new": last.sender != own_user_id,
        "archived": false,
        "selected": false,
        "sound": false,
        "image": "",
        "avatar": "",
        "color": "",
        "senderAuthInfo": {},
    })
}

/// Milliseconds since the Unix epoch of an ISO-8601 UTC time (`2026-12-02T11:19:10.123Z`);
/// 0 when it does not read.
pub fn timestamp_ms(iso: &str) -> i64 {
    parse_iso(iso).unwrap_or(0)
}

fn parse_iso(iso: &str) -> Option<i64> {
    let (date, time) = iso.split_once('T')?;
    let mut day = date.splitn(3, '-').map(|part| part.parse::<i64>().ok());
    let (year, month, day) = (day.next()??, day.next()??, day.next()??);
    let time = time.trim_end_matches('Z');
    let (clock, fraction) = time.split_once('.').unwrap_or((time, "0"));
    let mut parts = clock.splitn(3, ':').map(|part| part.parse::<i64>().ok());
    let (hour, minute, second) = (parts.next()??, parts.next()??, parts.next()??);
    let millis: i64 = format!("{:0<3}", fraction.get(..3).unwrap_or(fraction))
        .parse()
        .ok()?;
    let valid = (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && hour < 24
        && minute < 60
        && second < 61;
    valid.then(|| {
        let days = days_from_civil(year, month, day);
        ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis
    })
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message() -> Message {
        serde_json::from_value(json!({
            "_id": "m1", "sender": "agent-1", "senderFullname": "Ada", "recipient": "support-group-p-1",
            "type": "text", "text": " Hello ", "id_project": "p", "status": 0,
            "createdAt": "2026-12-02T11:19:10.123Z", "attributes": {"k": 1}
        }))
        .unwrap()
    }

    #[test]
    fn the_message_model_carries_tiledesk_fields_beside_the_rest_ones() {
        let model = message_model(&message(), "visitor", "Support");
        for field in [
            "uid",
            "sender",
            "sender_fullname",
            "recipient",
            "recipient_fullname",
            "text",
            "type",
            "timestamp",
            "status",
            "attributes",
            "metadata",
            "channel_type",
            "isSender",
        ] {
            assert!(model.get(field).is_some(), "{field}");
        }
        assert_eq!(model["uid"], "m1");
        assert_eq!(model["_id"], "m1", "REST fields stay");
        assert_eq!(model["senderFullname"], "Ada");
        assert_eq!(model["text"], "Hello", "trimmed, as Tiledesk does");
        assert_eq!(model["timestamp"], 1_796_210_350_123_i64);
        assert_eq!(model["status"], 100, "a stored message is sent");
        assert_eq!(model["isSender"], false);
        assert_eq!(model["recipient_fullname"], "Support");
        assert_eq!(message_model(&message(), "agent-1", "")["isSender"], true);
    }

    #[test]
    fn iso_times_read_as_milliseconds() {
        assert_eq!(timestamp_ms("1970-01-01T00:00:00Z"), 0);
        assert_eq!(timestamp_ms("2000-03-01T00:00:00.5Z"), 951_868_800_500);
        assert_eq!(timestamp_ms("2024-02-29T23:59:59.999Z"), 1_709_251_199_999);
        assert_eq!(timestamp_ms("not a time"), 0);
        assert_eq!(timestamp_ms("2024-13-01T00:00:00Z"), 0);
    }

    #[test]
    fn the_conversation_model_is_the_one_the_message_updated() {
        let model = conversation_model(&message(), "visitor", "Support");
        assert_eq!(model["uid"], "support-group-p-1");
        assert_eq!(model["last_message_text"], " Hello ");
        assert_eq!(model["is_new"], true);
        assert_eq!(model["timestamp"], 1_796_210_350_123_i64);
    }
}
