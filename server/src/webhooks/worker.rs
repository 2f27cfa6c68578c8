//! The background worker: sends due deliveries concurrently (to public addresses only, unless
//! allowed), retries with exponential back-off and records every attempt; finished attempts are
//! recorded together through the grouped commits.

use std::collections::HashSet;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use tiledesk_protocol::webhook::{Delivery, SECRET_HEADER, USER_AGENT};
use tokio::sync::mpsc;

use super::address::{literal_refusal, refusal_in, NotPublic, PublicOnly};
use super::{Settings, Wakeup};
use crate::clock;
use crate::error::ApiError;
use crate::store::group_commit::GroupCommit;
use crate::store::webhooks::{self, Attempt, QueuedDelivery};
use crate::store::Database;

/// Deliveries in flight (being sent or recorded) at once.
const MAX_IN_FLIGHT: usize = 256;
/// Longest sleep between looks at the queue.
const MAX_IDLE: Duration = Duration::from_secs(1);
/// Longest back-off between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(3600);
/// Longest part of a target's answer kept in the log.
const MAX_LOGGED_BODY: usize = 4096;

/// How one attempt ended.
enum Outcome {
    /// 2xx.
    Delivered,
    /// A network error, a timeout, 429 or 5xx: worth another try.
    Retry,
    /// Any other answer: trying again would not help.
    Refused,
}

/// One finished attempt, to record.
struct Finished {
    delivery: QueuedDelivery,
    outcome: Outcome,
    response: Option<String>,
    body: Option<String>,
    err: Option<String>,
}

/// Runs until `shutdown` resolves.
pub async fn run(
    db: Database,
    commits: GroupCommit,
    settings: Settings,
    wakeup: Wakeup,
    shutdown: impl Future<Output = ()>,
) {
    // Redirects are not followed (they could lead anywhere) and no proxy is used; unless private
    // targets are allowed, names are resolved by a resolver that refuses non-public addresses.
    let mut builder = reqwest::Client::builder()
        .timeout(settings.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .user_agent(USER_AGENT);
    if !settings.allow_private {
        builder = builder.dns_resolver(Arc::new(PublicOnly));
    }
    let client = match builder.build() {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "webhook worker cannot start its HTTP client");
            return;
        }
    };
    let (done, mut finished) = mpsc::unbounded_channel::<Finished>();
    let (recorded_tx, mut recorded) = mpsc::unbounded_channel::<(Vec<i64>, bool)>();
    // Queue rows being sent or recorded: not picked again until their attempt is recorded.
    let mut in_flight: HashSet<i64> = HashSet::new();
    // Every never-tried delivery up to this one was picked; reset to rescan the whole queue.
    let mut cursor = 0;
    // One recording at a time: the attempts that finish meanwhile are recorded together next, in
    // one job of the grouped commit rather than one each.
    let mut recording = false;
    tokio::pin!(shutdown);
    loop {
        let now = clock::unix_millis();
        let room = MAX_IN_FLIGHT.saturating_sub(in_flight.len());
        let mut idle = MAX_IDLE;
        if room > 0 {
            let limit = u32::try_from(room + in_flight.len()).unwrap_or(u32::MAX);
            match webhooks::due(&db.read, cursor, now, limit).await {
                Ok(due) => {
                    let fetched = due.len();
                    let mut started = 0;
                    for delivery in due {
                        if in_flight.len() >= MAX_IN_FLIGHT {
                            break;
                        }
                        if delivery.attempts == 0 {
                            cursor = cursor.max(delivery.seq);
                        }
                        if in_flight.insert(delivery.seq) {
                            started += 1;
                            let attempt = attempt(
                                client.clone(),
                                settings.allow_private,
                                delivery,
                                done.clone(),
                            );
                            tokio::spawn(attempt);
                        }
                    }
                    if started > 0 && fetched == limit as usize {
                        idle = Duration::ZERO;
                    }
                }
                Err(error) => tracing::error!(%error, "reading the webhook queue"),
            }
            if idle > Duration::ZERO && in_flight.is_empty() {
                if let Ok(Some(next)) = webhooks::next_due_after(&db.read, now).await {
                    let wait = u64::try_from(next.saturating_sub(now)).unwrap_or(0);
                    idle = idle.min(Duration::from_millis(wait));
                }
            }
        }
        tokio::select! {
            () = &mut shutdown => break,
            () = wakeup.wait() => {}
            Some(first) = finished.recv(), if !recording => {
                recording = true;
                let mut batch = vec![first];
                while let Ok(more) = finished.try_recv() {
                    batch.push(more);
                }
                let (commits, recorded_tx) = (commits.clone(), recorded_tx.clone());
                tokio::spawn(async move {
                    let seqs: Vec<i64> = batch.iter().map(|entry| entry.delivery.seq).collect();
                    let recording = commits.run(Box::new(move |conn| {
                        Box::pin(async move { record(conn, &settings, &batch).await })
                    }));
                    let saved = recording.await.is_ok();
                    if !saved {
                        tracing::error!("recording webhook attempts failed; they will be retried");
                    }
                    let _ = recorded_tx.send((seqs, saved));
                });
            }
            Some((seqs, saved)) = recorded.recv() => {
                recording = false;
                for seq in seqs {
                    in_flight.remove(&seq);
                }
                if !saved {
                    cursor = 0;
                }
            }
            () = tokio::time::sleep(idle) => {}
        }
    }
}

/// POSTs one delivery and reports how it went; one to a non-public address is refused unsent
/// unless `allow_private`.
async fn attempt(
    client: reqwest::Client,
    allow_private: bool,
    delivery: QueuedDelivery,
    done: mpsc::UnboundedSender<Finished>,
) {
    let target = &delivery.subscription.target;
    if let Some(refused) = literal_refusal(target).filter(|_| !allow_private) {
        let _ = done.send(Finished::refused(delivery, &refused));
        return;
    }
    let payload: Value = serde_json::from_str(&delivery.payload).unwrap_or(Value::Null);
    let body = Delivery {
        timestamp: delivery.timestamp_ms,
        payload,
        hook: delivery.subscription.to_wire(false),
    };
    let sent = client
        .post(&delivery.subscription.target)
        .header(SECRET_HEADER, &delivery.subscription.secret)
        .json(&body)
        .send()
        .await;
    let finished = match sent {
        Ok(response) => {
            let status = response.status();
            let headers: serde_json::Map<String, Value> = response
                .headers()
                .iter()
                .filter_map(|(name, value)| {
                    value
                        .to_str()
                        .ok()
                        .map(|value| (name.as_str().to_owned(), Value::String(value.to_owned())))
                })
                .collect();
            let text = match response.bytes().await {
                Ok(bytes) => {
                    let end = bytes.len().min(MAX_LOGGED_BODY);
                    String::from_utf8_lossy(&bytes[..end]).into_owned()
                }
                Err(error) => format!("<unreadable: {error}>"),
            };
            let outcome = if status.is_success() {
                Outcome::Delivered
            } else if status.as_u16() == 429 || status.is_server_error() {
                Outcome::Retry
            } else {
                Outcome::Refused
            };
            let err = (!status.is_success()).then(|| format!("HTTP status {}", status.as_u16()));
            Finished {
                response: Some(
                    json!({"statusCode": status.as_u16(), "body": text, "headers": headers})
                        .to_string(),
                ),
                body: Some(Value::String(text).to_string()),
                err,
                outcome,
                delivery,
            }
        }
        Err(error) => match refusal_in(&error).cloned() {
            Some(refused) => Finished::refused(delivery, &refused),
            None => Finished::failed(delivery, &error),
        },
    };
    let _ = done.send(finished);
}

impl Finished {
    /// An attempt refused before sending: the target is not a public address.
    fn refused(delivery: QueuedDelivery, refused: &NotPublic) -> Self {
        Self {
            delivery,
            outcome: Outcome::Refused,
            response: None,
            body: None,
            err: Some(format!("refused: {refused}")),
        }
    }

    /// An attempt that got no answer.
    fn failed(delivery: QueuedDelivery, error: &reqwest::Error) -> Self {
        let err = if error.is_timeout() {
            format!("timed out: {error}")
        } else if error.is_builder() {
            format!("invalid target: {error}")
        } else {
            format!("network error: {error}")
        };
        let outcome = if error.is_builder() {
            Outcome::Refused
        } else {
            Outcome::Retry
        };
        Self {
            delivery,
            outcome,
            response: None,
            body: None,
            err: Some(err),
        }
    }
}

/// The wait before attempt number `attempts + 1`: `base × 2^(attempts − 1)`, capped.
fn backoff(settings: &Settings, attempts: u32) -> Duration {
    let factor = 2u32.saturating_pow(attempts.saturating_sub(1));
    settings.retry_base.saturating_mul(factor).min(MAX_BACKOFF)
}

/// Logs the attempts of `batch` and updates the queue, inside the writer's transaction.
async fn record(
    tx: &mut sqlx::SqliteConnection,
    settings: &Settings,
    batch: &[Finished],
) -> Result<(), ApiError> {
    let mut errors = Vec::with_capacity(batch.len());
    let mut done = Vec::new();
    for entry in batch {
        let delivery = &entry.delivery;
        let attempts = u32::try_from(delivery.attempts)
            .unwrap_or(u32::MAX)
            .saturating_add(1);
        let give_up = matches!(entry.outcome, Outcome::Retry) && attempts >= settings.max_attempts;
        errors.push(match (&entry.err, give_up) {
            (Some(err), true) => Some(format!("{err}; gave up after {attempts} attempts")),
            (err, _) => err.clone(),
        });
        match entry.outcome {
            Outcome::Retry if !give_up => {
                let wait = backoff(settings, attempts);
                let next = clock::unix_millis()
                    .saturating_add(i64::try_from(wait.as_millis()).unwrap_or(i64::MAX));
                webhooks::reschedule(&mut *tx, delivery.seq, i64::from(attempts), next).await?;
            }
            _ => done.push(delivery.seq),
        }
    }
    let attempts: Vec<Attempt<'_>> = batch
        .iter()
        .zip(&errors)
        .map(|(entry, err)| Attempt {
            project: &entry.delivery.subscription.project_id,
            event: &entry.delivery.queued_event,
            target: &entry.delivery.subscription.target,
            response: entry.response.as_deref(),
            body: entry.body.as_deref(),
            err: err.as_deref(),
        })
        .collect();
    webhooks::log(&mut *tx, &attempts).await?;
    webhooks::remove(&mut *tx, &done).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_base_and_is_capped() {
        let settings = Settings {
            timeout: Duration::from_secs(1),
            retry_base: Duration::from_millis(100),
            max_attempts: 5,
            allow_private: false,
        };
        assert_eq!(backoff(&settings, 1), Duration::from_millis(100));
        assert_eq!(backoff(&settings, 2), Duration::from_millis(200));
        assert_eq!(backoff(&settings, 4), Duration::from_millis(800));
        assert_eq!(backoff(&settings, 60), MAX_BACKOFF);
    }
}
