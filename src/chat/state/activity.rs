//! Signs of life in the open conversation: who is typing on the other side, the visitor's own
//! typing told over the live socket, and how far the visitor has received and seen the others'
//! messages, told to the server.

use futures::channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use tiledesk_protocol::realtime::{Typing, TypingPayload};
use tiledesk_protocol::Frame;

use crate::core::typing::{OwnTyping, IDLE_MS, LAPSE_MS};

/// Someone on the other side who is typing.
#[derive(Debug, Clone, PartialEq)]
pub struct Typist {
    pub id: String,
    /// Their name; empty when the server does not know it.
    pub name: String,
}

/// The activity part of the open conversation; cheap to copy.
#[derive(Clone, Copy)]
pub struct Activity {
    /// Who is typing on the other side, while they are (reactive).
    pub typist: RwSignal<Option<Typist>>,
    /// The live socket's queue and the conversation's typing topic, while it is followed.
    outgoing: StoredValue<Option<(UnboundedSender<Frame>, String)>>,
    own: StoredValue<OwnTyping>,
    /// Counts keystrokes and typing news, so that a timer set by an older one does nothing.
    keystrokes: StoredValue<u32>,
    heard: StoredValue<u32>,
}

impl Default for Activity {
    fn default() -> Self {
        Self {
            typist: RwSignal::new(None),
            outgoing: StoredValue::new(None),
            own: StoredValue::new(OwnTyping::default()),
            keystrokes: StoredValue::new(0),
            heard: StoredValue::new(0),
        }
    }
}

impl Activity {
    /// A new conversation is followed on `typing_topic`: the queue its socket sends from.
    pub fn connect(self, typing_topic: String) -> UnboundedReceiver<Frame> {
        let (sender, receiver) = unbounded();
        self.outgoing.set_value(Some((sender, typing_topic)));
        self.own.set_value(OwnTyping::default());
        self.typist.set(None);
        receiver
    }

    /// The conversation is no longer followed.
    pub fn disconnect(self) {
        self.outgoing.set_value(None);
        self.typist.set(None);
    }

    /// The visitor typed, leaving the message box `empty` or not; they count as stopped after a
    /// pause.
    pub fn typed(self, empty: bool) {
        let now = js_sys::Date::now();
        let frame = self.own.try_update_value(|own| own.keystroke(now, empty));
        self.tell(frame.flatten());
        self.keystrokes
            .update_value(|count| *count = count.wrapping_add(1));
        let keystroke = self.keystrokes.get_value();
        Timeout::new(IDLE_MS, move || {
            if self.keystrokes.try_get_value() == Some(keystroke) {
                self.stopped();
            }
        })
        .forget();
    }

    /// The visitor stopped typing (sent the message, or paused).
    pub fn stopped(self) {
        let frame = self.own.try_update_value(OwnTyping::stop);
        self.tell(frame.flatten());
    }

    /// The server told of someone's typing; the visitor's own (from another tab) is not news.
    pub fn heard(self, typing: Typing, own_id: &str) {
        if typing.writer_id == own_id {
            return;
        }
        self.heard
            .update_value(|count| *count = count.wrapping_add(1));
        if !typing.typing {
            self.wrote(&typing.writer_id);
            return;
        }
        self.typist.set(Some(Typist {
            id: typing.writer_id,
            name: typing.writer_fullname,
        }));
        let news = self.heard.get_value();
        // Typing that is not renewed lapses, as when its "stopped" is lost with a dropped socket.
        Timeout::new(LAPSE_MS, move || {
            if self.heard.try_get_value() == Some(news) {
                self.typist.set(None);
            }
        })
        .forget();
    }

    /// `sender`'s message arrived: they are no longer typing it.
    pub fn wrote(self, sender: &str) {
        if self
            .typist
            .with_untracked(|t| t.as_ref().is_some_and(|t| t.id == sender))
        {
            self.typist.set(None);
        }
    }

    fn tell(self, typing: Option<bool>) {
        let Some(typing) = typing else {
            return;
        };
        self.outgoing.with_value(|outgoing| {
            if let Some((sender, topic)) = outgoing {
                let _ = sender.unbounded_send(Frame::Typing(TypingPayload {
                    topic: topic.clone(),
                    typing,
                }));
            }
        });
    }
}
