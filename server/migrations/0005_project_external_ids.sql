-- Users of custom tokens are named by their project and the token's `_id` (`<project_id>:<_id>`):
-- the same `_id` in two projects is two users, and no project's tokens can take another's ids.
-- Existing ones are renamed everywhere their id is kept (one that would clash keeps its id).

CREATE TEMP TABLE renamed_users AS
    SELECT user_id AS old_id, project_id || ':' || external_id AS new_id
    FROM external_users
    WHERE user_id <> project_id || ':' || external_id
      AND project_id || ':' || external_id NOT IN (SELECT id FROM users);

INSERT INTO users (id, kind, email, password_hash, firstname, lastname, email_verified,
                   created_at, updated_at, external_project)
    SELECT r.new_id, kind, email, password_hash, firstname, lastname, email_verified,
           created_at, updated_at, external_project
    FROM users JOIN renamed_users AS r ON users.id = r.old_id;

UPDATE external_users SET user_id = r.new_id FROM renamed_users AS r WHERE external_users.user_id = r.old_id;
UPDATE project_users SET user_id = r.new_id FROM renamed_users AS r WHERE project_users.user_id = r.old_id;
UPDATE requests SET requester_id = r.new_id FROM renamed_users AS r WHERE requests.requester_id = r.old_id;
UPDATE requests SET lead = json_set(lead, '$.lead_id', r.new_id, '$.createdBy', r.new_id)
    FROM renamed_users AS r WHERE json_extract(requests.lead, '$.lead_id') = r.old_id;
-- Ids are quoted JSON strings of letters, digits and . _ @ : - only, so a textual swap is exact.
UPDATE requests SET participants = replace(participants, '"' || r.old_id || '"', '"' || r.new_id || '"')
    FROM renamed_users AS r WHERE instr(requests.participants, '"' || r.old_id || '"') > 0;
UPDATE messages SET sender = r.new_id FROM renamed_users AS r WHERE messages.sender = r.old_id;
UPDATE events SET created_by = r.new_id FROM renamed_users AS r WHERE events.created_by = r.old_id;
UPDATE subscriptions SET created_by = r.new_id FROM renamed_users AS r WHERE subscriptions.created_by = r.old_id;
UPDATE projects SET created_by = r.new_id FROM renamed_users AS r WHERE projects.created_by = r.old_id;

DELETE FROM users WHERE id IN (SELECT old_id FROM renamed_users);
DROP TABLE renamed_users;
