-- Widget settings of a project, departments, and the department a conversation was started for.

-- The widget settings object saved with `PUT /projects/:project_id`; NULL until saved.
ALTER TABLE projects ADD COLUMN widget TEXT;

CREATE TABLE departments (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    is_default INTEGER NOT NULL DEFAULT 0,
    status     INTEGER NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX departments_by_project ON departments (project_id, seq);

-- `{"_id":…,"name":…}` of the department the first message named; kept if the department goes.
ALTER TABLE requests ADD COLUMN department TEXT;
