-- Leader election with fencing: one row per lease. The holder is the instance id of the replica
-- that holds it until expires_at; token grows by one on every change of holder (and when a holder
-- takes its own expired lease again), so work done under an older token can be refused. Taken and
-- renewed with one conditional UPDATE … RETURNING; times are the database's clock.
CREATE TABLE leader_lease (
    name        TEXT        PRIMARY KEY,
    holder      TEXT,
    token       BIGINT      NOT NULL DEFAULT 0,
    acquired_at TIMESTAMPTZ,
    renewed_at  TIMESTAMPTZ,
    expires_at  TIMESTAMPTZ NOT NULL DEFAULT '-infinity'
);

-- The scheduler's lease: its holder fires due schedules; the other replicas stand by.
INSERT INTO leader_lease (name) VALUES ('scheduler');
