-- A stand-in for a service's own table, changed in the same transactions as the outbox.
CREATE TABLE widget (
    id      UUID PRIMARY KEY,
    name    TEXT NOT NULL,
    updates INT  NOT NULL DEFAULT 0
);
