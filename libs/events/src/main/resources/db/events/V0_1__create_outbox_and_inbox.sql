-- Shared by every service that publishes or consumes events (libs/events). Flyway runs it from
-- the location db/events before the service's own migrations (which start at V1).

-- Transactional outbox: an event row is written in the same transaction as the state change it
-- announces; OutboxRelay publishes rows to Kafka in seq order and deletes them once acknowledged.
CREATE TABLE outbox_event (
    seq            BIGSERIAL    PRIMARY KEY,
    id             UUID         NOT NULL UNIQUE,
    topic          TEXT         NOT NULL,
    event_key      TEXT         NOT NULL,
    type           TEXT         NOT NULL,
    source         TEXT         NOT NULL,
    subject        TEXT,
    occurred_at    TIMESTAMPTZ  NOT NULL,
    workspace_id   TEXT,
    traceparent    TEXT,
    tracestate     TEXT,
    data           BYTEA        NOT NULL,
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    attempts       INT          NOT NULL DEFAULT 0,
    last_error     TEXT
);

-- Idempotent consumers: one row per (consumer, event id) handled, written in the same transaction
-- as the handler's effect, so a redelivered event changes nothing twice.
CREATE TABLE processed_event (
    consumer       TEXT         NOT NULL,
    event_id       TEXT         NOT NULL,
    processed_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

CREATE INDEX processed_event_processed_at ON processed_event (processed_at);
