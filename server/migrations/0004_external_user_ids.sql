-- Users of custom tokens keep the token's `_id` as their id and remember the project whose
-- secret created them: only that project's tokens sign them in.

-- The project whose custom token created the user; NULL for registered users and guests.
ALTER TABLE users ADD COLUMN external_project TEXT;
UPDATE users SET external_project =
    (SELECT project_id FROM external_users WHERE external_users.user_id = users.id);
