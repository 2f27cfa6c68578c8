//! The `tiledesk_<key>` parameters of a page URL, read as one settings layer.

use serde_json::{Map, Value};

/// Prefix of settings given as URL query parameters.
const URL_PREFIX: &str = "tiledesk_";

/// Settings whose URL value is JSON rather than a plain string.
const JSON_KEYS: &[&str] = &["preChatFormJson", "customAttributes"];

/// The `tiledesk_<key>` parameters of a URL as setting values: a bare key is `true`,
/// `0`/`false` are `false`, JSON-valued keys are parsed (and dropped when they do not parse).
/// The keys whose JSON value did not parse are returned apart, to be reported.
pub fn url_settings(url: &str) -> (Map<String, Value>, Vec<String>) {
    url_settings_with(url, |text| serde_json::from_str(text).ok())
}

/// As `url_settings`, parsing JSON values with `parse_json`.
pub(super) fn url_settings_with(
    url: &str,
    parse_json: fn(&str) -> Option<Value>,
) -> (Map<String, Value>, Vec<String>) {
    let query = url.split_once('?').map_or("", |(_, rest)| rest);
    let query = query.split_once('#').map_or(query, |(before, _)| before);
    let mut values = Map::new();
    let mut unparsable = Vec::new();
    for pair in query.split('&') {
        let (raw_key, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let Some(key) = percent_decode(raw_key)
            .strip_prefix(URL_PREFIX)
            .map(str::to_owned)
        else {
            continue;
        };
        let value = percent_decode(raw_value);
        if JSON_KEYS.contains(&key.as_str()) {
            match parse_json(&value) {
                Some(parsed) => values.insert(key, parsed),
                None => {
                    unparsable.push(key);
                    continue;
                }
            };
        } else {
            let value = match value.as_str() {
                "" | "true" => Value::Bool(true),
                "0" | "false" => Value::Bool(false),
                _ => Value::String(value),
            };
            values.insert(key, value);
        }
    }
    (values, unparsable)
}

pub(super) fn url_only_text(url: &Map<String, Value>, key: &str) -> Option<String> {
    url.get(key)?
        .as_str()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Decodes `%XX` escapes and `+` of a URL query component; invalid escapes stay as they are.
fn percent_decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = |at: usize| {
            bytes
                .get(at)
                .and_then(|b| (*b as char).to_digit(16))
                .map(|d| d as u8)
        };
        match bytes[index] {
            b'%' => match (hex(index + 1), hex(index + 2)) {
                (Some(high), Some(low)) => {
                    out.push(high * 16 + low);
                    index += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            other => out.push(other),
        }
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
