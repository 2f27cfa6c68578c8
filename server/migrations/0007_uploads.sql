-- Files uploaded to a project (`POST /:project_id/files/chat`): who uploaded them, under which
-- unguessable path, and the conversations whose messages reference them.

CREATE TABLE uploads (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    -- 32 lowercase hex digits (128 random bits), also the name of the stored file.
    id           TEXT NOT NULL UNIQUE,
    project_id   TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    uploader_id  TEXT NOT NULL,
    -- `uploads/<id>/<safe name>`: what the client is given and sends back in `?path=`.
    path         TEXT NOT NULL UNIQUE,
    -- The original file name, cleaned, for `Content-Disposition`.
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    created_at   TEXT NOT NULL
);

CREATE TABLE upload_requests (
    upload_id  TEXT NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
    project_id TEXT NOT NULL,
    request_id TEXT NOT NULL,
    PRIMARY KEY (upload_id, request_id)
);
