-- Housekeeping (io.linkflow.execution.housekeeping; schedule-service times the jobs).

-- Usage per workspace, workflow and hour: the executions that reached a terminal state in that
-- hour (by finished_at). Recomputed idempotently; a recomputation never lowers a row (executions
-- deleted later, by retention or by a person, still count), so billing can rely on it.
CREATE TABLE usage_hourly (
    workspace_id       UUID         NOT NULL,
    workflow_id        UUID         NOT NULL,
    hour               TIMESTAMPTZ  NOT NULL,
    executions         BIGINT       NOT NULL,
    succeeded          BIGINT       NOT NULL,
    failed             BIGINT       NOT NULL,
    cancelled          BIGINT       NOT NULL,
    timed_out          BIGINT       NOT NULL,
    node_runs          BIGINT       NOT NULL,
    duration_ms_total  BIGINT       NOT NULL,
    computed_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, workflow_id, hour),
    CHECK (hour = date_trunc('hour', hour))
);

CREATE INDEX usage_hourly_hour ON usage_hourly (hour);

-- The rollup's watermark: every hour before rolled_up_to has been rolled up. One row.
CREATE TABLE usage_rollup (
    id            INT          PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    rolled_up_to  TIMESTAMPTZ  NOT NULL,
    updated_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- Candidates of the stale-work check: unfinished executions without a timer. A healthy execution in
-- flight always has one (at least its deadline), so this index stays tiny: queued executions and
-- stuck ones.
CREATE INDEX execution_no_timer ON execution (created_at)
    WHERE wake_at IS NULL AND status IN ('created', 'running', 'waiting');
