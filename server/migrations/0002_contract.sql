-- Closing and rating requests, project secrets for custom tokens, external users, custom events,
-- webhook subscriptions with their durable delivery queue and the delivery log.

ALTER TABLE requests ADD COLUMN closed_at TEXT;
ALTER TABLE requests ADD COLUMN rating INTEGER;
ALTER TABLE requests ADD COLUMN rating_message TEXT;
CREATE INDEX requests_by_requester ON requests (project_id, requester_id);

-- The base64 secret custom tokens of the project are signed with; NULL until generated.
ALTER TABLE projects ADD COLUMN jwt_secret TEXT;

-- Users signed in with a project's custom token, by the `_id` the token names.
CREATE TABLE external_users (
    project_id  TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    user_id     TEXT NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (project_id, external_id)
);

CREATE TABLE events (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT NOT NULL UNIQUE,
    project_id      TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    attributes      TEXT NOT NULL,
    project_user_id TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX events_by_project ON events (project_id, seq);

CREATE TABLE subscriptions (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    event      TEXT NOT NULL,
    target     TEXT NOT NULL,
    secret     TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX subscriptions_by_event ON subscriptions (project_id, event);

-- Deliveries waiting to be (re)tried; written in the transaction of the change that caused them.
CREATE TABLE webhook_queue (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_id TEXT NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    project_id      TEXT NOT NULL,
    event           TEXT NOT NULL,
    payload         TEXT NOT NULL,
    timestamp_ms    INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL
);
CREATE INDEX webhook_queue_by_due ON webhook_queue (next_attempt_ms, seq);

-- Every delivery attempt.
CREATE TABLE webhook_log (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,
    project_id TEXT NOT NULL,
    event      TEXT NOT NULL,
    target     TEXT NOT NULL,
    response   TEXT,
    body       TEXT,
    err        TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX webhook_log_by_project ON webhook_log (project_id, seq);
