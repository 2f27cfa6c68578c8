-- Users (registered and anonymous guests), projects, memberships, requests and messages.

CREATE TABLE users (
    id             TEXT PRIMARY KEY NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('user', 'guest')),
    email          TEXT,
    password_hash  TEXT,
    firstname      TEXT NOT NULL DEFAULT '',
    lastname       TEXT NOT NULL DEFAULT '',
    email_verified INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
-- Guests may repeat an email they typed in the widget; registered users may not.
CREATE UNIQUE INDEX users_by_email ON users (email) WHERE kind = 'user';

CREATE TABLE projects (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    settings   TEXT,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE project_users (
    id         TEXT PRIMARY KEY NOT NULL,
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('guest', 'user', 'agent', 'supervisor', 'admin', 'owner')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (project_id, user_id)
);
CREATE INDEX project_users_by_user ON project_users (user_id);

CREATE TABLE requests (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    project_id   TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    request_id   TEXT NOT NULL,
    status       INTEGER NOT NULL,
    first_text   TEXT NOT NULL,
    requester_id TEXT NOT NULL REFERENCES users (id),
    lead         TEXT NOT NULL,
    participants TEXT NOT NULL DEFAULT '[]',
    attributes   TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 0,
    UNIQUE (project_id, request_id)
);
CREATE INDEX requests_by_project_status ON requests (project_id, status);

CREATE TABLE messages (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT NOT NULL UNIQUE,
    project_id      TEXT NOT NULL,
    request_id      TEXT NOT NULL,
    sender          TEXT NOT NULL REFERENCES users (id),
    sender_fullname TEXT NOT NULL,
    kind            TEXT NOT NULL,
    text            TEXT NOT NULL,
    status          INTEGER NOT NULL,
    attributes      TEXT,
    metadata        TEXT,
    client_id       TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    FOREIGN KEY (project_id, request_id) REFERENCES requests (project_id, request_id) ON DELETE CASCADE,
    UNIQUE (project_id, request_id, client_id)
);
CREATE INDEX messages_by_request ON messages (project_id, request_id, seq);
