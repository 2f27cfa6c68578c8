//! Link previews: pages fetched (public addresses only, unless allowed; a few redirects, each
//! checked; a bounded read of HTML only) and what they say about themselves kept for a while.

pub mod meta;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tiledesk_protocol::preview::{PagePreview, UrlPreview};
use url::Url;

use crate::webhooks::address::{literal_refusal, refusal_in, PublicOnly};

/// Time a page has to answer in full.
const TIMEOUT: Duration = Duration::from_secs(5);
/// Most bytes of a page read (the head, where the tags are, comes first).
const MAX_BYTES: usize = 512 * 1024;
/// Redirects followed.
const MAX_REDIRECTS: usize = 3;
/// Longest address previewed.
const MAX_URL: usize = 2048;
/// How long a preview is kept.
const KEPT: Duration = Duration::from_secs(600);
/// How long a failure is kept (a page that was down is asked again soon).
const FAILURE_KEPT: Duration = Duration::from_secs(60);
/// Most previews kept.
const MAX_KEPT: usize = 1024;
/// The `User-Agent` of the fetches.
const USER_AGENT: &str = "tiledesk-local link preview (+https://github.com/Tiledesk)";
/// Why an address is not previewed, as Tiledesk words it.
const NOT_ALLOWED: &str = "URL not allowed";

/// Fetches previews and keeps them.
pub struct Previewer {
    client: reqwest::Client,
    allow_private: bool,
    kept: Mutex<HashMap<String, (Instant, UrlPreview)>>,
}

impl Previewer {
    /// A previewer reaching public addresses only, unless `allow_private`.
    pub fn new(allow_private: bool) -> anyhow::Result<Self> {
        let policy = reqwest::redirect::Policy::custom(move |attempt| {
            let url = attempt.url();
            if attempt.previous().len() >= MAX_REDIRECTS {
                attempt.error("too many redirects")
            } else if !matches!(url.scheme(), "http" | "https")
                || (!allow_private && literal_refusal(url.as_str()).is_some())
            {
                attempt.error(NOT_ALLOWED)
            } else {
                attempt.follow()
            }
        });
        let mut builder = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .redirect(policy)
            .no_proxy()
            .user_agent(USER_AGENT);
        if !allow_private {
            builder = builder.dns_resolver(Arc::new(PublicOnly));
        }
        Ok(Self {
            client: builder.build()?,
            allow_private,
            kept: Mutex::new(HashMap::new()),
        })
    }

    /// The previews of `urls`, in their order, fetched at the same time.
    pub async fn previews(&self, urls: &[String]) -> Vec<UrlPreview> {
        futures_util::future::join_all(urls.iter().map(|url| self.preview(url))).await
    }

    async fn preview(&self, url: &str) -> UrlPreview {
        if let Some(kept) = self.kept(url) {
            return kept;
        }
        let answer = match self.allowed(url) {
            Some(parsed) => match self.fetch(&parsed).await {
                Ok(data) => UrlPreview {
                    url: url.to_owned(),
                    success: true,
                    data: Some(data),
                    error: None,
                },
                Err(error) => failure(url, &error),
            },
            None => failure(url, NOT_ALLOWED),
        };
        self.keep(url, &answer);
        answer
    }

    /// `url` parsed, when it is an `http(s)` address this previewer may reach.
    fn allowed(&self, url: &str) -> Option<Url> {
        let parsed = Url::parse(url).ok().filter(|_| url.len() <= MAX_URL)?;
        let web = matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some();
        (web && (self.allow_private || literal_refusal(url).is_none())).then_some(parsed)
    }

    async fn fetch(&self, url: &Url) -> Result<PagePreview, String> {
        let mut response = self
            .client
            .get(url.clone())
            .header(reqwest::header::ACCEPT, "text/html,application/xhtml+xml")
            .send()
            .await
            .map_err(|error| reason(&error))?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("HTTP status {}", status.as_u16()));
        }
        let html_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(|value| value.trim().to_ascii_lowercase())
            .is_some_and(|value| {
                value.starts_with("text/html") || value.starts_with("application/xhtml+xml")
            });
        if !html_type {
            return Err("Not an HTML page".to_owned());
        }
        let page = response.url().clone();
        let mut body = Vec::new();
        while body.len() < MAX_BYTES {
            match response.chunk().await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                Ok(None) => break,
                Err(error) => return Err(reason(&error)),
            }
        }
        body.truncate(MAX_BYTES);
        let meta = meta::extract(&String::from_utf8_lossy(&body));
        let image = meta
            .image
            .and_then(|image| page.join(&image).ok())
            .filter(|image| matches!(image.scheme(), "http" | "https"))
            .map(String::from);
        Ok(PagePreview {
            url: url.to_string(),
            title: meta.title,
            description: meta.description,
            image,
            site_name: meta.site_name,
        })
    }

    fn kept(&self, url: &str) -> Option<UrlPreview> {
        let kept = self
            .kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        kept.get(url)
            .filter(|(until, _)| *until > Instant::now())
            .map(|(_, preview)| preview.clone())
    }

    fn keep(&self, url: &str, preview: &UrlPreview) {
        let now = Instant::now();
        let mut kept = self
            .kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if kept.len() >= MAX_KEPT {
            kept.retain(|_, (until, _)| *until > now);
            if kept.len() >= MAX_KEPT {
                kept.clear();
            }
        }
        let life = if preview.success { KEPT } else { FAILURE_KEPT };
        kept.insert(url.to_owned(), (now + life, preview.clone()));
    }
}

fn failure(url: &str, error: &str) -> UrlPreview {
    UrlPreview {
        url: url.to_owned(),
        success: false,
        data: None,
        error: Some(error.to_owned()),
    }
}

/// Why a fetch failed, in words that reveal nothing of the network behind the server.
fn reason(error: &reqwest::Error) -> String {
    if refusal_in(error).is_some() || error.is_redirect() {
        NOT_ALLOWED.to_owned()
    } else if error.is_timeout() {
        "Timed out".to_owned()
    } else {
        "Failed to fetch".to_owned()
    }
}
