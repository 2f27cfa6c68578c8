-- The worker finds new deliveries by `seq` (the primary key) and retries through this index of
-- the tried ones only: never-tried rows waiting to be sent are no longer scanned at every look.
DROP INDEX webhook_queue_by_due;
CREATE INDEX webhook_queue_retries ON webhook_queue (next_attempt_ms, seq) WHERE attempts > 0;
