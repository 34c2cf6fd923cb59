-- Workflow definitions. A workflow row is the head of a chain of immutable versions: every save
-- appends a version, the row points at the latest (version, version_id) and, when active, at the
-- version that runs (active_version_id). revision is the ETag: it changes with every write.
CREATE TABLE folder (
    id            UUID         PRIMARY KEY,
    workspace_id  UUID         NOT NULL,
    name          TEXT         NOT NULL,
    created_by    TEXT         NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT folder_name_unique UNIQUE (workspace_id, name)
);

CREATE TABLE workflow (
    id                 UUID         PRIMARY KEY,
    workspace_id       UUID         NOT NULL,
    name               TEXT         NOT NULL,
    description        TEXT,
    folder_id          UUID         REFERENCES folder (id),
    tags               TEXT[]       NOT NULL DEFAULT '{}',
    version            INTEGER      NOT NULL,
    version_id         UUID         NOT NULL,
    revision           INTEGER      NOT NULL DEFAULT 1,
    active             BOOLEAN      NOT NULL DEFAULT false,
    active_version_id  UUID,
    created_by         TEXT         NOT NULL,
    created_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_by         TEXT         NOT NULL,
    updated_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    deleted_at         TIMESTAMPTZ,
    CONSTRAINT workflow_active_version CHECK (active = (active_version_id IS NOT NULL))
);
CREATE INDEX workflow_by_name ON workflow (workspace_id, lower(name), id) WHERE deleted_at IS NULL;
CREATE INDEX workflow_by_tag ON workflow USING gin (tags);
CREATE INDEX workflow_by_folder ON workflow (folder_id) WHERE deleted_at IS NULL;

-- Versions are never changed: executions pin one, restore copies one into a new version.
-- Deleting a workflow keeps its versions (the row is soft-deleted), so past executions stay readable.
CREATE TABLE workflow_version (
    id             UUID         PRIMARY KEY,
    workflow_id    UUID         NOT NULL REFERENCES workflow (id),
    workspace_id   UUID         NOT NULL,
    version        INTEGER      NOT NULL,
    name           TEXT         NOT NULL,
    definition     JSONB        NOT NULL,
    restored_from  INTEGER,
    created_by     TEXT         NOT NULL,
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT workflow_version_unique UNIQUE (workflow_id, version)
);

CREATE FUNCTION workflow_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'workflow versions are immutable';
END $$;
CREATE TRIGGER workflow_version_no_update BEFORE UPDATE OR DELETE ON workflow_version
    FOR EACH ROW EXECUTE FUNCTION workflow_version_immutable();

-- Webhook paths held by active workflows: one (method, path) per workspace. The primary key is
-- the last word when two activations race.
CREATE TABLE webhook_claim (
    workspace_id  UUID  NOT NULL,
    method        TEXT  NOT NULL,
    path          TEXT  NOT NULL,
    workflow_id   UUID  NOT NULL REFERENCES workflow (id),
    node_id       TEXT  NOT NULL,
    PRIMARY KEY (workspace_id, method, path)
);
CREATE INDEX webhook_claim_by_workflow ON webhook_claim (workflow_id);

-- Idempotency-Key of POST /workflows/{id}/execute: a repeated key answers the same execution.
CREATE TABLE execute_request (
    workspace_id     UUID         NOT NULL,
    idempotency_key  TEXT         NOT NULL,
    workflow_id      UUID         NOT NULL,
    version_id       UUID         NOT NULL,
    execution_id     UUID         NOT NULL,
    created_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, idempotency_key)
);
CREATE INDEX execute_request_age ON execute_request (created_at);
