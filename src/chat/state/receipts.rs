//! Read receipts the visitor gives: the others' messages are delivered once they reach the widget
//! and seen once the visitor can see them (the conversation showing in the open panel of a visible
//! page), told to the server (`PUT …/messages/status`) once per step; a server without the
//! endpoint is not asked again.

use leptos::prelude::*;
use leptos::task::spawn_local;
use tiledesk_protocol::{MessageStatus, StatusUpdate};

use super::open_conversation::OpenConversation;
use super::Base;
use crate::chat::net::api::{self, ApiError};

/// The receipts part of the chat; cheap to copy.
#[derive(Clone, Copy)]
pub struct Receipts {
    /// The newest message told about, and the status told.
    told: StoredValue<Option<(String, i32)>>,
    /// The server has no receipts endpoint (a Tiledesk server).
    unsupported: StoredValue<bool>,
    parts: Base,
}

impl Receipts {
    pub fn new(parts: Base) -> Self {
        Self {
            told: StoredValue::new(None),
            unsupported: StoredValue::new(false),
            parts,
        }
    }

    /// Tells the server, for as long as the chat lives, how far the visitor has received and
    /// seen `open`'s messages; `showing` says whether the conversation is on screen in the panel.
    pub fn keep(self, open: OpenConversation, showing: Signal<bool>) {
        Effect::new(move |_| {
            let newest = open.lines.with(|c| c.newest_incoming().map(str::to_owned));
            let seen = showing.get() && self.parts.panel.page_visible.get();
            let Some(until) = newest else {
                return;
            };
            let status = if seen {
                MessageStatus::SEEN
            } else {
                MessageStatus::DELIVERED
            };
            let already = self.told.with_value(|told| {
                told.as_ref()
                    .is_some_and(|(id, told)| *id == until && *told >= status)
            });
            if already || self.unsupported.get_value() {
                return;
            }
            self.told.set_value(Some((until.clone(), status)));
            self.tell(open, StatusUpdate { status, until });
        });
    }

    fn tell(self, open: OpenConversation, update: StatusUpdate) {
        let (Some(request_id), Some(session), Some(base)) = (
            open.id(),
            self.parts.auth.current(),
            self.parts.config.known_api_base(),
        ) else {
            return;
        };
        let project_id = self.parts.config.project_id();
        spawn_local(async move {
            match api::mark_status(&base, &session.token, &project_id, &request_id, &update).await {
                Ok(()) => {}
                Err(ApiError::Refused {
                    status: 404 | 405 | 501,
                    ..
                }) => self.unsupported.set_value(true),
                // Told again on the next change.
                Err(_) => self.told.set_value(None),
            }
        });
    }
}
