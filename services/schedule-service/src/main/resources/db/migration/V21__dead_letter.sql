-- Dead letters (io.linkflow.schedule.housekeeping): every record of dlq.events once, with where it
-- came from and why it failed (SmallRye Kafka's dead-letter-* headers), and the original record —
-- key, value and headers (the ce_* CloudEvent attributes), without the dead-letter-* headers — so it
-- can be re-driven to its topic as it was. The dlq job re-drives or parks pending ones.
CREATE TABLE dead_letter (
    id                  UUID         PRIMARY KEY,
    original_topic      TEXT         NOT NULL,
    original_partition  INT          NOT NULL,
    original_offset     BIGINT       NOT NULL,
    record_key          BYTEA,
    value               BYTEA,
    -- the original headers in order: [{"name": …, "value": text} | {"name": …, "base64": …} | {"name": …}]
    headers             JSONB        NOT NULL DEFAULT '[]',
    reason              TEXT,
    exception_class     TEXT,
    cause_class         TEXT,
    cause               TEXT,
    -- where this copy sits in dlq.events
    dlq_partition       INT          NOT NULL,
    dlq_offset          BIGINT       NOT NULL,
    received_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    -- how often the record had been re-driven before it was dead-lettered this time
    -- (header linkflow-redrive-count), then after each re-drive
    redrive_count       INT          NOT NULL DEFAULT 0,
    status              TEXT         NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'redriven', 'parked')),
    park_reason         TEXT,
    -- the last failed attempt to re-drive it (it stays pending)
    last_error          TEXT,
    redriven_at         TIMESTAMPTZ,
    updated_at          TIMESTAMPTZ  NOT NULL DEFAULT now(),
    UNIQUE (original_topic, original_partition, original_offset),
    CHECK ((status = 'parked') = (park_reason IS NOT NULL))
);

-- The dlq job's queue and the dead_letter_queue_size gauge.
CREATE INDEX dead_letter_pending ON dead_letter (received_at, id) WHERE status = 'pending';
-- The operator list, newest first, optionally by status.
CREATE INDEX dead_letter_latest ON dead_letter (status, received_at DESC, id DESC);
CREATE INDEX dead_letter_received ON dead_letter (received_at DESC, id DESC);
