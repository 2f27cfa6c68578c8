//! Group commit: write jobs from many requests share one transaction on the writer connection
//! and are answered only once that transaction is committed.
//!
//! A job that fails with a client error (validation, role, not found) must fail before writing
//! anything; a database error fails the whole batch, which is rolled back.

use futures_util::future::BoxFuture;
use sqlx::{SqliteConnection, SqlitePool};
use tokio::sync::{mpsc, oneshot};

use crate::error::ApiError;

/// Jobs committed together at most.
const MAX_BATCH: usize = 256;
/// Jobs waiting before submitters wait.
const QUEUE: usize = 4096;

/// A job's work: it runs on the writer connection inside the shared transaction.
pub type Work<T> =
    Box<dyn for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<T, ApiError>> + Send>;

/// A queued job, whatever its result type.
trait Job: Send {
    /// Runs the work; whether the batch can still commit (no database error).
    fn run<'c>(&'c mut self, conn: &'c mut SqliteConnection) -> BoxFuture<'c, bool>;
    /// Answers the submitter once the batch is committed (or failed to be).
    fn finish(self: Box<Self>, committed: bool);
}

struct Typed<T> {
    work: Option<Work<T>>,
    result: Option<Result<T, ApiError>>,
    reply: oneshot::Sender<Result<T, ApiError>>,
}

impl<T: Send + 'static> Job for Typed<T> {
    fn run<'c>(&'c mut self, conn: &'c mut SqliteConnection) -> BoxFuture<'c, bool> {
        Box::pin(async move {
            let Some(work) = self.work.take() else {
                return false;
            };
            let result = work(conn).await;
            let ok = !matches!(result, Err(ApiError::Internal));
            self.result = Some(result);
            ok
        })
    }

    fn finish(self: Box<Self>, committed: bool) {
        let result = match self.result {
            Some(Ok(_)) if !committed => Err(ApiError::internal("a grouped commit failed")),
            Some(result) => result,
            None => Err(ApiError::internal("a grouped write never ran")),
        };
        let _ = self.reply.send(result);
    }
}

/// Submits write jobs to the writer task.
#[derive(Clone)]
pub struct GroupCommit {
    jobs: mpsc::Sender<Box<dyn Job>>,
}

impl GroupCommit {
    /// Starts the writer task on `pool` (the single writer connection).
    pub fn start(pool: SqlitePool) -> Self {
        let (jobs, queue) = mpsc::channel(QUEUE);
        tokio::spawn(writer(pool, queue));
        Self { jobs }
    }

    /// Runs `work` in the next grouped transaction: its result once committed.
    pub async fn run<T: Send + 'static>(&self, work: Work<T>) -> Result<T, ApiError> {
        let (reply, answer) = oneshot::channel();
        let job: Box<dyn Job> = Box::new(Typed {
            work: Some(work),
            result: None,
            reply,
        });
        self.jobs
            .send(job)
            .await
            .map_err(|_| ApiError::internal("the writer task is gone"))?;
        answer
            .await
            .map_err(|_| ApiError::internal("the writer task dropped a job"))?
    }
}

async fn writer(pool: SqlitePool, mut queue: mpsc::Receiver<Box<dyn Job>>) {
    while let Some(first) = queue.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let committed = match commit(&pool, &mut batch).await {
            Ok(()) => true,
            Err(error) => {
                tracing::error!(%error, jobs = batch.len(), "a grouped commit failed");
                false
            }
        };
        for job in batch {
            job.finish(committed);
        }
    }
}

/// Runs every job of `batch` in one transaction and commits; rolls back on a database error.
async fn commit(pool: &SqlitePool, batch: &mut [Box<dyn Job>]) -> sqlx::Result<()> {
    let mut tx = super::begin_write(pool).await?;
    for job in batch.iter_mut() {
        if !job.run(&mut tx).await {
            tx.rollback().await?;
            return Err(sqlx::Error::Protocol(
                "a grouped job failed on the database".to_owned(),
            ));
        }
    }
    tx.commit().await
}
