-- Webhooks of active workflows: one row per enabled Webhook trigger node of the active version.
-- Written from workflow.events (workflow.activated replaces a workflow's rows, workflow.deactivated
-- deletes them); read on every incoming request by (workspace, path).
CREATE TABLE webhook (
    workspace_id  UUID        NOT NULL,
    method        TEXT        NOT NULL,
    path          TEXT        NOT NULL,
    workflow_id   UUID        NOT NULL,
    version_id    UUID        NOT NULL,
    node_id       TEXT        NOT NULL,
    response_mode TEXT        NOT NULL,
    response_code INTEGER     NOT NULL,
    auth          TEXT        NOT NULL,
    registered_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (workspace_id, path, method)
);

CREATE INDEX webhook_workflow ON webhook (workflow_id);
