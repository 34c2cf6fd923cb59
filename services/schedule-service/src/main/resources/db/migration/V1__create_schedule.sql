-- Schedules: when to request a run of a workflow. source 'workflow': one row per enabled Schedule
-- Trigger node of a workflow's active version, kept in step with workflow.events (replaced on
-- workflow.activated, deleted on workflow.deactivated/deleted); source 'api': created through
-- /api/v1/schedules, running the workflow's active (else latest) version.
CREATE TABLE schedule (
    id                 UUID        PRIMARY KEY,
    workspace_id       UUID        NOT NULL,
    source             TEXT        NOT NULL CHECK (source IN ('workflow', 'api')),
    workflow_id        UUID        NOT NULL,
    version_id         UUID,
    trigger_node_id    TEXT,
    name               TEXT        NOT NULL,
    cron               TEXT,
    interval_seconds   INTEGER     CHECK (interval_seconds BETWEEN 1 AND 31536000),
    timezone           TEXT        NOT NULL,
    missed_fire_policy TEXT        NOT NULL CHECK (missed_fire_policy IN ('fireOnce', 'skip')),
    enabled            BOOLEAN     NOT NULL,
    -- intervals fire at anchor_at + k × interval_seconds (k ≥ 1): when the timing was set
    anchor_at          TIMESTAMPTZ NOT NULL,
    -- the next fire time; null when disabled or when the expression never fires again
    next_fire_at       TIMESTAMPTZ,
    last_fire_at       TIMESTAMPTZ,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    CONSTRAINT schedule_cron_xor_interval CHECK ((cron IS NULL) <> (interval_seconds IS NULL)),
    CONSTRAINT schedule_workflow_source CHECK (
        (source = 'workflow') = (version_id IS NOT NULL AND trigger_node_id IS NOT NULL))
);

-- One schedule per trigger node of a workflow.
CREATE UNIQUE INDEX schedule_workflow_trigger ON schedule (workflow_id, trigger_node_id)
    WHERE source = 'workflow';
-- What the leader's tick reads: enabled schedules by next fire time.
CREATE INDEX schedule_due ON schedule (next_fire_at) WHERE enabled;
-- The API's list, in creation order (the cursor is created_at, id).
CREATE INDEX schedule_workspace ON schedule (workspace_id, created_at, id);
CREATE INDEX schedule_workflow ON schedule (workflow_id);
