//! Group commit: write jobs from many requests share one transaction on the writer connection
//! and are answered only once that transaction is committed.
//!
//! A job that fails with a client error (validation, role, not found) must fail before writing
//! anything; a database error fails the whole batch, which is rolled back.
//!
//! The writer runs on its own thread, and the write-ahead log is checkpointed beside it on a
//! reader connection, so that neither waits behind the server's other work.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use sqlx::{SqliteConnection, SqlitePool};
use tokio::sync::{mpsc, oneshot};

use crate::error::ApiError;

/// Jobs committed together at most.
const MAX_BATCH: usize = 256;
/// Jobs waiting before submitters wait.
const QUEUE: usize = 4096;
/// Shortest time between two checkpoints of the write-ahead log.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

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
    /// Starts the writer on its own thread, on `write` (the single writer connection); `read`
    /// checkpoints what it commits.
    pub fn start(write: SqlitePool, read: SqlitePool) -> std::io::Result<Self> {
        let (jobs, queue) = mpsc::channel(QUEUE);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        std::thread::Builder::new()
            .name("group-commit".to_owned())
            .spawn(move || runtime.block_on(writer(write, read, queue)))?;
        Ok(Self { jobs })
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

async fn writer(pool: SqlitePool, read: SqlitePool, mut queue: mpsc::Receiver<Box<dyn Job>>) {
    let checkpointing = Arc::new(AtomicBool::new(false));
    let mut checkpointed = Instant::now();
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
        if checkpointed.elapsed() >= CHECKPOINT_EVERY && !checkpointing.swap(true, Ordering::AcqRel)
        {
            checkpointed = Instant::now();
            tokio::spawn(checkpoint(read.clone(), Arc::clone(&checkpointing)));
        }
    }
}

/// Copies the committed log into the database file without blocking the writer (`PASSIVE`),
/// which then starts the log afresh; the writer's own automatic checkpoint (see
/// [`super::open`]) is only a backstop.
async fn checkpoint(read: SqlitePool, running: Arc<AtomicBool>) {
    if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
        .execute(&read)
        .await
    {
        tracing::warn!(%error, "checkpointing the write-ahead log");
    }
    running.store(false, Ordering::Release);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Commits the statements `sql` through `commits`.
    async fn write(commits: &GroupCommit, sql: &'static [&'static str]) {
        commits
            .run(Box::new(move |conn| {
                Box::pin(async move {
                    for statement in sql {
                        sqlx::query(statement)
                            .execute(&mut *conn)
                            .await
                            .map_err(ApiError::internal)?;
                    }
                    Ok(())
                })
            }))
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn what_the_writer_commits_reaches_the_database_file_without_the_writer_checkpointing() {
        let dir = tempfile::tempdir().unwrap();
        let db = super::super::open(dir.path()).await.unwrap();
        let file = dir.path().join(super::super::DATABASE_FILE);
        let commits = GroupCommit::start(db.write.clone(), db.read.clone()).unwrap();
        let before = std::fs::metadata(&file).unwrap().len();
        // 2 MB: 500 pages, far below the writer's own checkpoint threshold.
        write(
            &commits,
            &[
                "CREATE TABLE filler (b BLOB)",
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
                 INSERT INTO filler SELECT zeroblob(4000) FROM n",
            ],
        )
        .await;
        tokio::time::sleep(CHECKPOINT_EVERY).await;
        write(&commits, &["INSERT INTO filler VALUES (zeroblob(1))"]).await;
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::fs::metadata(&file).unwrap().len() < before + 2_000_000 {
            assert!(Instant::now() < deadline, "the log was never checkpointed");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
