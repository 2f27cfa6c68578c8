//! Link previews: what the server's `url-preview` adds to the sources a message lists, asked once
//! per address and page view (a server without the route leaves the sources as written).

use std::collections::HashMap;

use leptos::prelude::*;
use tiledesk_protocol::preview::{PagePreview, MAX_URLS};

use super::auth::Auth;
use crate::chat::net::api;
use crate::core::sources::{self, Source};

/// The previews asked so far; cheap to copy.
#[derive(Clone, Copy)]
pub struct Previews {
    /// By address: the page's preview, or `None` when there is none to be had.
    asked: StoredValue<HashMap<String, Option<PagePreview>>>,
    auth: Auth,
}

impl Previews {
    pub fn new(auth: Auth) -> Self {
        Self {
            asked: StoredValue::new(HashMap::new()),
            auth,
        }
    }

    /// `list` with what its pages' previews add, asking the server about those not asked yet.
    pub async fn fill(self, list: Vec<Source>) -> Vec<Source> {
        let missing: Vec<String> = self.asked.with_value(|asked| {
            list.iter()
                .filter(|source| source.incomplete() && !asked.contains_key(&source.link))
                .map(|source| source.link.clone())
                .take(MAX_URLS)
                .collect()
        });
        if !missing.is_empty() {
            let answers = match self.auth.caller().await {
                Ok(c) => api::url_previews(&c.base, &c.token, &c.project_id, missing.clone())
                    .await
                    .unwrap_or_default(),
                Err(_) => Vec::new(),
            };
            self.asked.update_value(|asked| {
                for url in missing {
                    let data = answers
                        .iter()
                        .find(|answer| answer.url == url && answer.success)
                        .and_then(|answer| answer.data.clone());
                    asked.insert(url, data);
                }
            });
        }
        let known: Vec<(String, PagePreview)> = self.asked.with_value(|asked| {
            list.iter()
                .filter_map(|source| {
                    let preview = asked.get(&source.link)?.clone()?;
                    Some((source.link.clone(), preview))
                })
                .collect()
        });
        sources::fill(&list, &known)
    }
}
