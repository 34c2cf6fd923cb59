-- Executions: one row per run of a workflow, pinned to a version, with the orchestrator's working
-- state. Item data is stored as json (text, validated), not jsonb: it is written often, read
-- whole and never queried inside. Every change happens under the row's lock (SELECT … FOR UPDATE), in the same transaction
-- as the node runs, the processed-event record and the outbox events it causes.
CREATE TABLE execution (
    id                   UUID         PRIMARY KEY,
    workspace_id         UUID         NOT NULL,
    workflow_id          UUID         NOT NULL,
    version_id           UUID         NOT NULL,
    workflow_name        TEXT,
    mode                 TEXT         NOT NULL,
    status               TEXT         NOT NULL
        CHECK (status IN ('created','running','waiting','succeeded','failed','cancelled','timed_out')),
    trigger_node_id      TEXT,
    input                JSON,
    state                JSON        NOT NULL DEFAULT '{}',
    error                JSON,
    parent_execution_id  UUID,
    parent_node_run_id   UUID,
    retry_of             UUID,
    concurrency_limit    INT,
    save_data            TEXT         NOT NULL DEFAULT 'all',
    node_runs            INT          NOT NULL DEFAULT 0,
    created_at           TIMESTAMPTZ  NOT NULL DEFAULT now(),
    started_at           TIMESTAMPTZ,
    finished_at          TIMESTAMPTZ,
    deadline             TIMESTAMPTZ,
    -- when the sweeper must look again: a retry delay, a wait, a command's lease, the deadline, or
    -- (for an execution queued behind a concurrency limit) now
    wake_at              TIMESTAMPTZ
);

CREATE INDEX execution_list ON execution (workspace_id, created_at DESC, id DESC);
CREATE INDEX execution_workflow ON execution (workspace_id, workflow_id, created_at DESC, id DESC);
CREATE INDEX execution_slots ON execution (workflow_id, status)
    WHERE status IN ('created', 'running', 'waiting');
CREATE INDEX execution_wake ON execution (wake_at) WHERE wake_at IS NOT NULL;
CREATE INDEX execution_finished ON execution (finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX execution_parent ON execution (parent_execution_id) WHERE parent_execution_id IS NOT NULL;

-- One row per attempt of a node: what went in, what came out, when, and the error.
CREATE TABLE node_run (
    id             UUID         PRIMARY KEY,
    execution_id   UUID         NOT NULL REFERENCES execution (id) ON DELETE CASCADE,
    seq            BIGSERIAL,
    node_id        TEXT         NOT NULL,
    node_name      TEXT         NOT NULL,
    node_type      TEXT         NOT NULL,
    run_index      INT          NOT NULL,
    attempt        INT          NOT NULL,
    status         TEXT         NOT NULL
        CHECK (status IN ('running','waiting','succeeded','failed','cancelled')),
    input          JSON,
    output         JSON,
    error          JSON,
    started_at     TIMESTAMPTZ  NOT NULL,
    finished_at    TIMESTAMPTZ
);

CREATE INDEX node_run_execution ON node_run (execution_id, seq);
