//! Pure rules of the live connection: the WebSocket address and how long to poll before retrying it.

/// How long the socket may take to open before the widget polls instead (a real Tiledesk server
/// never completes a guest's handshake).
pub const SOCKET_OPEN_TIMEOUT_MS: u32 = 4_000;

/// Interval between polls of `GET …/messages` while there is no socket.
pub const POLL_INTERVAL_MS: u32 = 3_000;

/// Interval of the client heartbeat on an idle socket.
pub const HEARTBEAT_INTERVAL_MS: u32 = 25_000;

/// How often an idle socket checks that its conversation is still shown: the socket of one the
/// visitor left closes within this time.
pub const STILL_WANTED_CHECK_MS: u32 = 1_000;

/// The WebSocket address for an API base: same host and path, `ws(s)` scheme, token in the query.
pub fn socket_url(api_base: &str, token: &str) -> Option<String> {
    let rest = api_base
        .strip_prefix("https://")
        .map(|rest| ("wss://", rest))
        .or_else(|| api_base.strip_prefix("http://").map(|rest| ("ws://", rest)));
    let (scheme, rest) = rest?;
    let token: String = token
        .chars()
        .map(|c| {
            if c == ' ' {
                "%20".to_owned()
            } else {
                c.to_string()
            }
        })
        .collect();
    Some(format!("{scheme}{rest}?token={token}"))
}

/// How many polls to make before trying the socket again, after `failures` socket attempts in a
/// row failed: 1, 2, 4, … up to 20 (one minute), so a server that never accepts sockets is asked rarely.
pub fn polls_before_retry(failures: u32) -> u32 {
    1u32.checked_shl(failures.min(8))
        .unwrap_or(u32::MAX)
        .min(20)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn socket_url_follows_the_api_base() {
        assert_eq!(
            socket_url("http://127.0.0.1:3000/", "JWT abc.def").as_deref(),
            Some("ws://127.0.0.1:3000/?token=JWT%20abc.def")
        );
        assert_eq!(
            socket_url("https://api.tiledesk.com/v3/", "JWT x").as_deref(),
            Some("wss://api.tiledesk.com/v3/?token=JWT%20x")
        );
        assert_eq!(socket_url("ftp://x/", "JWT x"), None);
    }

    #[test]
    fn polling_backs_off_then_caps() {
        let schedule: Vec<u32> = (0..8).map(polls_before_retry).collect();
        assert_eq!(schedule, vec![1, 2, 4, 8, 16, 20, 20, 20]);
        assert_eq!(polls_before_retry(u32::MAX), 20);
    }
}
