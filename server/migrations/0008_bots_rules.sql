-- The project's proactive bot rules (Tiledesk's `botsRules`): the JSON array of rules, as checked
-- on input, that `GET /:project_id/widgets` gives the widget.
ALTER TABLE projects ADD COLUMN bots_rules TEXT NOT NULL DEFAULT '[]';

-- `GET /:project_id/publicanalytics/waiting/current` reads the conversations of the last hours.
CREATE INDEX requests_by_project_created ON requests (project_id, created_at);
