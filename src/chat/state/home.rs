//! What the home view tells besides the conversations: how soon the team typically replies
//! (`GET /:pid/publicanalytics/waiting/current`, asked once).

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::config::Config;
use crate::chat::net::api;

/// The home part of the chat; cheap to copy.
#[derive(Clone, Copy)]
pub struct Home {
    /// The project's recent average wait for a first answer, in milliseconds, once known.
    pub waiting_ms: RwSignal<Option<u64>>,
    asked: StoredValue<bool>,
    config: Config,
}

impl Home {
    pub fn new(config: Config) -> Self {
        Self {
            waiting_ms: RwSignal::new(None),
            asked: StoredValue::new(false),
            config,
        }
    }

    /// Asks, once, how long visitors waited lately; an answer without a positive average (or
    /// none) leaves it unknown.
    pub fn load_waiting_time(self) {
        if self.asked.get_value() {
            return;
        }
        self.asked.set_value(true);
        spawn_local(async move {
            let base = self.config.api_base().await;
            if let Ok(lines) = api::waiting_time(&base, &self.config.project_id()).await {
                let average = lines
                    .first()
                    .map(|line| line.waiting_time_avg)
                    .filter(|ms| ms.is_finite() && *ms >= 1.0);
                self.waiting_ms.set(average.map(|ms| ms as u64));
            }
        });
    }
}
