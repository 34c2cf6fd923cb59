-- Housekeeping runs (io.linkflow.schedule.housekeeping): one row per job and slot (the fire time
-- of the job's cron, or the moment an operator asked). A replica runs a slot only when its INSERT …
-- ON CONFLICT DO NOTHING created the row, so each slot runs once however many replicas are up,
-- without relying on the scheduler's leader election.
CREATE TABLE housekeeping_run (
    job          TEXT         NOT NULL,
    slot         TIMESTAMPTZ  NOT NULL,
    -- 'schedule' (the job's cron) or 'manual' (POST /internal/v1/housekeeping/{job}/run)
    trigger      TEXT         NOT NULL CHECK (trigger IN ('schedule', 'manual')),
    -- the replica that claimed the slot (instance id)
    replica      TEXT         NOT NULL,
    started_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    finished_at  TIMESTAMPTZ,
    outcome      TEXT         NOT NULL DEFAULT 'running'
        CHECK (outcome IN ('running', 'succeeded', 'failed')),
    -- what the run did: executions deleted, re-queued, usage rows written, letters handled
    items        BIGINT,
    detail       TEXT,
    PRIMARY KEY (job, slot)
);

-- Operators list the latest runs of every job.
CREATE INDEX housekeeping_run_latest ON housekeeping_run (slot DESC, job);
