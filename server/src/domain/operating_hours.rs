//! Operating hours as Tiledesk keeps them: weekly opening slots per day (`"0"` Sunday to `"6"`
//! Saturday, each a list of `{"start":"HH:MM","end":"HH:MM"}`) in the time zone `tzname`.

use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;
use serde_json::{Map, Value};

/// Longest accepted operating hours text.
const MAX_LEN: usize = 16 * 1024;
/// Slots one day may have.
const MAX_SLOTS: usize = 24;

/// One opening slot, in minutes after midnight: open from `start` (included) to `end` (excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot {
    start: u32,
    end: u32,
}

/// Checked operating hours.
#[derive(Debug, Clone, PartialEq)]
pub struct OperatingHours {
    zone: Tz,
    /// Slots of each weekday, Sunday first.
    days: [Vec<Slot>; 7],
    /// The canonical JSON text, as stored and answered.
    text: String,
}

impl OperatingHours {
    /// Reads the JSON text (or object) Tiledesk clients send, or explains what is wrong.
    pub fn parse(raw: &Value) -> Result<Self, String> {
        let parsed;
        let value = match raw {
            Value::String(text) if text.len() <= MAX_LEN => {
                parsed = serde_json::from_str::<Value>(text)
                    .map_err(|_| "operatingHours is not valid JSON text.".to_owned())?;
                &parsed
            }
            Value::String(_) => return Err("operatingHours is too long.".to_owned()),
            other => other,
        };
        let Value::Object(map) = value else {
            return Err("operatingHours must be an object (or its JSON text).".to_owned());
        };
        let zone = map
            .get("tzname")
            .and_then(Value::as_str)
            .and_then(|name| name.parse::<Tz>().ok())
            .ok_or_else(|| "operatingHours needs a known time zone in tzname.".to_owned())?;
        let mut days: [Vec<Slot>; 7] = Default::default();
        let mut canonical = Map::new();
        for (key, slots) in map {
            if key == "tzname" {
                continue;
            }
            let day = match key.parse::<usize>() {
                Ok(day) if day < 7 => day,
                _ => {
                    return Err(format!(
                        "Unknown day {key:?} in operatingHours: use \"0\" (Sunday) to \"6\"."
                    ))
                }
            };
            let list = slots
                .as_array()
                .filter(|list| list.len() <= MAX_SLOTS)
                .ok_or_else(|| format!("Day {day} must be a list of at most {MAX_SLOTS} slots."))?;
            let mut out = Vec::new();
            for slot in list {
                let time = |field: &str| slot.get(field).and_then(Value::as_str).and_then(minutes);
                match (time("start"), time("end")) {
                    (Some(start), Some(end)) if start < end => {
                        days[day].push(Slot { start, end });
                        out.push(serde_json::json!({
                            "start": hhmm(start),
                            "end": hhmm(end),
                        }));
                    }
                    _ => {
                        return Err(format!(
                            "Each slot of day {day} needs start and end times \"HH:MM\", start before end."
                        ))
                    }
                }
            }
            canonical.insert(day.to_string(), Value::Array(out));
        }
        canonical.insert("tzname".to_owned(), Value::String(zone.name().to_owned()));
        Ok(Self {
            zone,
            days,
            text: Value::Object(canonical).to_string(),
        })
    }

    /// The canonical JSON text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether `now` falls within a slot of its weekday in the project's time zone.
    pub fn is_open_at(&self, now: DateTime<Utc>) -> bool {
        let local = now.with_timezone(&self.zone);
        let day = local.weekday().num_days_from_sunday() as usize;
        let minute = local.hour() * 60 + local.minute();
        self.days[day]
            .iter()
            .any(|slot| slot.start <= minute && minute < slot.end)
    }
}

/// `HH:MM` (hours 0 to 24, `24:00` being the end of the day) as minutes after midnight.
fn minutes(raw: &str) -> Option<u32> {
    let (hours, mins) = raw.trim().split_once(':')?;
    let all_digits =
        |part: &str| (1..=2).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(hours) || mins.len() != 2 || !all_digits(mins) {
        return None;
    }
    let (hours, mins): (u32, u32) = (hours.parse().ok()?, mins.parse().ok()?);
    let total = hours * 60 + mins;
    (mins < 60 && total <= 24 * 60).then_some(total)
}

fn hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use serde_json::json;

    use super::*;

    #[test]
    fn slots_are_checked_in_the_project_time_zone() {
        // Mondays 09:00-12:30 and 14:00-18:00 in Rome; 2024-01-15 is a Monday (UTC+1 then).
        let hours = OperatingHours::parse(&json!(
            r#"{"1":[{"start":"09:00","end":"12:30"},{"start":"14:00","end":"18:00"}],"tzname":"Europe/Rome"}"#
        ))
        .unwrap();
        let at = |h, m| Utc.with_ymd_and_hms(2024, 1, 15, h, m, 0).unwrap();
        assert!(!hours.is_open_at(at(7, 59)), "08:59 in Rome");
        assert!(hours.is_open_at(at(8, 0)), "09:00 in Rome");
        assert!(hours.is_open_at(at(11, 29)));
        assert!(!hours.is_open_at(at(11, 30)), "12:30 is closed");
        assert!(hours.is_open_at(at(16, 59)));
        assert!(!hours.is_open_at(at(17, 0)));
        // Tuesday has no slot.
        assert!(!hours.is_open_at(Utc.with_ymd_and_hms(2024, 1, 16, 10, 0, 0).unwrap()));
        // Summer time: 09:00 in Rome is 07:00 UTC on Monday 2024-07-15.
        assert!(hours.is_open_at(Utc.with_ymd_and_hms(2024, 7, 15, 7, 0, 0).unwrap()));
        assert_eq!(
            hours.text(),
            r#"{"1":[{"end":"12:30","start":"09:00"},{"end":"18:00","start":"14:00"}],"tzname":"Europe/Rome"}"#
        );
    }

    #[test]
    fn objects_read_like_their_text_and_bad_hours_are_explained() {
        let object = json!({"0": [{"start": "9:00", "end": "24:00"}], "tzname": "UTC"});
        let hours = OperatingHours::parse(&object).unwrap();
        assert!(hours.is_open_at(Utc.with_ymd_and_hms(2024, 1, 14, 23, 59, 0).unwrap()));
        assert!(!hours.is_open_at(Utc.with_ymd_and_hms(2024, 1, 14, 8, 59, 0).unwrap()));
        for bad in [
            json!("not json"),
            json!(7),
            json!({"1": []}),
            json!({"1": [], "tzname": "Mars/Olympus"}),
            json!({"7": [], "tzname": "UTC"}),
            json!({"x": [], "tzname": "UTC"}),
            json!({"1": "9-5", "tzname": "UTC"}),
            json!({"1": [{"start": "18:00", "end": "09:00"}], "tzname": "UTC"}),
            json!({"1": [{"start": "09:60", "end": "10:00"}], "tzname": "UTC"}),
            json!({"1": [{"start": "25:00", "end": "26:00"}], "tzname": "UTC"}),
            json!({"1": [{"start": "09:00"}], "tzname": "UTC"}),
        ] {
            assert!(OperatingHours::parse(&bad).is_err(), "{bad}");
        }
    }
}
