//! Typing frames while the agent writes: `typing: true` at most every few seconds while keys are
//! pressed, `typing: false` once the agent pauses or sends; and how long a visitor's typing shows.

/// Least time between two `typing: true` frames, in milliseconds.
pub const REPEAT_MS: f64 = 3000.0;
/// Pause after which the agent has stopped typing, in milliseconds.
pub const IDLE_MS: f64 = 4000.0;
/// How long the other side's `typing: true` shows without a new one, in milliseconds.
pub const SHOWN_MS: f64 = 6000.0;

/// What the agent's typing has told the others.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct TypingThrottle {
    /// When `typing: true` was last sent, while the others think the agent types.
    sent_at: Option<f64>,
    last_input: f64,
}

impl TypingThrottle {
    /// A key was pressed at `now`: the frame to send, if any.
    pub fn input(&mut self, now: f64) -> Option<bool> {
        self.last_input = now;
        match self.sent_at {
            Some(sent) if now - sent < REPEAT_MS => None,
            _ => {
                self.sent_at = Some(now);
                Some(true)
            }
        }
    }

    /// Time passed (`now`): `typing: false` once the agent paused long enough.
    pub fn tick(&mut self, now: f64) -> Option<bool> {
        if self.sent_at.is_some() && now - self.last_input >= IDLE_MS {
            self.sent_at = None;
            return Some(false);
        }
        None
    }

    /// The message was sent (or the conversation left): `typing: false` if the others were told
    /// the agent types.
    pub fn stop(&mut self) -> Option<bool> {
        self.sent_at.take().map(|_| false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_is_throttled_and_ends() {
        let mut t = TypingThrottle::default();
        assert_eq!(t.input(0.0), Some(true));
        assert_eq!(t.input(1000.0), None);
        assert_eq!(t.tick(2000.0), None);
        assert_eq!(t.input(3500.0), Some(true));
        assert_eq!(t.tick(7000.0), None);
        assert_eq!(t.tick(7600.0), Some(false));
        assert_eq!(t.tick(9000.0), None);
        assert_eq!(t.stop(), None);
        assert_eq!(t.input(10000.0), Some(true));
        assert_eq!(t.stop(), Some(false));
        assert_eq!(t.stop(), None);
    }
}
