//! How far the first-load shell got before the full chat took over, so that the chat carries on
//! from there: no event fires twice, the callout keeps its time, a visitor's click opens the chat
//! and what they typed in the panel's frame is theirs still.

/// The callout (eye-catcher) as the shell left it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CalloutStage {
    /// Due at this time, in milliseconds since the Unix epoch.
    Due(f64),
    /// On screen.
    Showing,
    /// Not configured, or shown and dismissed already.
    Over,
}

/// The shell's state when the chat takes over; the default starts the chat afresh.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Handover {
    /// The visitor asked for the chat (launcher or callout, or the `open` setting).
    pub open: bool,
    /// The moment for `onLoadParams`, `onBeforeInit` and `onInit` has passed: nobody listened.
    pub announced: bool,
    /// Where the callout got to; `None` leaves it to the settings.
    pub callout: Option<CalloutStage>,
    /// What the visitor wrote in the frame's message box while the chat loaded.
    pub draft: Draft,
}

/// Text the visitor wrote before the chat took over.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    pub text: String,
    /// They asked to send it (Enter or the send button).
    pub send: bool,
}

impl CalloutStage {
    /// The stage the shell reports: due at `due_at`, showing, or neither.
    pub fn from_shell(due_at: Option<f64>, showing: bool) -> Self {
        match (showing, due_at) {
            (true, _) => CalloutStage::Showing,
            (false, Some(at)) => CalloutStage::Due(at),
            (false, None) => CalloutStage::Over,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_showing_callout_wins_over_its_due_time() {
        assert_eq!(
            CalloutStage::from_shell(Some(5.0), true),
            CalloutStage::Showing
        );
        assert_eq!(
            CalloutStage::from_shell(Some(5.0), false),
            CalloutStage::Due(5.0)
        );
        assert_eq!(CalloutStage::from_shell(None, false), CalloutStage::Over);
    }
}
