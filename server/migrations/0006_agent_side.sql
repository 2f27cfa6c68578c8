-- The agent side: members' availability, operating hours, leads (one per visitor and project),
-- request subjects and tags, department routing and members, widget labels and private notes.

-- Whether the member takes conversations now; before this version every agent and up counted as
-- available, so existing ones stay available.
ALTER TABLE project_users ADD COLUMN user_available INTEGER NOT NULL DEFAULT 0;
UPDATE project_users SET user_available = 1 WHERE role IN ('agent', 'supervisor', 'admin', 'owner');

-- Tiledesk's `activeOperatingHours` and `operatingHours` (the JSON text of the weekly slots and `tzname`).
ALTER TABLE projects ADD COLUMN active_operating_hours INTEGER NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN operating_hours TEXT;

-- The contact record of a visitor in a project (`lead_id` is the visitor's user id).
CREATE TABLE leads (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    lead_id    TEXT NOT NULL,
    fullname   TEXT,
    email      TEXT,
    attributes TEXT NOT NULL DEFAULT '{}',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (project_id, lead_id)
);
CREATE INDEX leads_by_project ON leads (project_id, seq);

-- Each request kept its own copy of a lead: the first conversation of each visitor gives the lead.
INSERT INTO leads (id, project_id, lead_id, fullname, email, attributes, created_by, created_at, updated_at)
    SELECT COALESCE(CASE WHEN json_valid(lead) THEN json_extract(lead, '$._id') END, lower(hex(randomblob(12)))),
           project_id, requester_id,
           CASE WHEN json_valid(lead) THEN json_extract(lead, '$.fullname') END,
           CASE WHEN json_valid(lead) THEN json_extract(lead, '$.email') END,
           COALESCE(CASE WHEN json_valid(lead) AND json_type(lead, '$.attributes') = 'object'
                         THEN json_extract(lead, '$.attributes') END, '{}'),
           requester_id, created_at, created_at
    FROM requests AS r
    WHERE seq = (SELECT MIN(seq) FROM requests AS first
                 WHERE first.project_id = r.project_id AND first.requester_id = r.requester_id);

ALTER TABLE requests ADD COLUMN lead_id TEXT;
UPDATE requests SET lead_id =
    (SELECT id FROM leads WHERE leads.project_id = requests.project_id AND leads.lead_id = requests.requester_id);
-- `lead` stays the lead document the request shows, kept equal to its lead row.
UPDATE requests SET lead =
    (SELECT json_object('_id', id, 'lead_id', lead_id, 'fullname', fullname, 'email', email,
                        'attributes', json(attributes), 'id_project', project_id, 'status', 100,
                        'createdBy', created_by, 'createdAt', created_at, 'updatedAt', updated_at, '__v', version)
     FROM leads WHERE leads.id = requests.lead_id);
CREATE INDEX requests_by_lead ON requests (lead_id);

ALTER TABLE requests ADD COLUMN subject TEXT;
-- JSON array of `{"tag":…,"color":…}`.
ALTER TABLE requests ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';

-- `pooled` leaves new requests unassigned, `assigned` gives each to an available member in turn;
-- `members` is the JSON array of member project_user ids (none: every agent of the project).
ALTER TABLE departments ADD COLUMN routing TEXT NOT NULL DEFAULT 'pooled';
ALTER TABLE departments ADD COLUMN description TEXT;
ALTER TABLE departments ADD COLUMN members TEXT NOT NULL DEFAULT '[]';
-- The project_user the last request routed to this department went to (round robin).
ALTER TABLE departments ADD COLUMN last_assigned TEXT;

-- The widget's translations a project saved, one row per (upper-case) language.
CREATE TABLE labels (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    lang       TEXT NOT NULL,
    data       TEXT NOT NULL,
    is_default INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (project_id, lang)
);

-- Agents' internal notes (`attributes.subtype` `private`), never shown to visitors.
ALTER TABLE messages ADD COLUMN private INTEGER NOT NULL DEFAULT 0;
UPDATE messages SET private = 1
    WHERE CASE WHEN json_valid(attributes) THEN json_extract(attributes, '$.subtype') END = 'private';

-- The project_user the last request routed without a department went to (round robin).
ALTER TABLE projects ADD COLUMN last_assigned TEXT;
