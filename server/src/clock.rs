//! Wall-clock time: ISO-8601 UTC timestamps with milliseconds (`2020-01-25T16:23:49.394Z`).

use chrono::{SecondsFormat, TimeDelta, Utc};

/// Now, as Tiledesk writes `createdAt` / `updatedAt`.
pub fn now_iso() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The time `age` ago, written as [`now_iso`] writes it (so stored timestamps compare with it).
pub fn iso_ago(age: TimeDelta) -> String {
    (Utc::now() - age).to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Now, in milliseconds since the Unix epoch.
pub fn unix_millis() -> i64 {
    Utc::now().timestamp_millis()
}

/// Now, in seconds since the Unix epoch.
pub fn unix_seconds() -> i64 {
    Utc::now().timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_have_milliseconds_and_zulu() {
        let now = now_iso();
        assert_eq!(now.len(), "2020-01-25T16:23:49.394Z".len(), "{now}");
        assert!(now.ends_with('Z'));
        assert_eq!(&now[19..20], ".");
    }

    #[test]
    fn earlier_times_sort_before_now() {
        let earlier = iso_ago(TimeDelta::hours(4));
        assert_eq!(earlier.len(), now_iso().len());
        assert!(earlier < now_iso());
    }
}
