-- Workspace variables. Plain values are stored as they are; secret values only as an envelope
-- ciphertext (libs/security EnvelopeCipher, bound to the workspace and variable id) with the id of
-- the master key that wrapped its data key, so a rotation knows what is left to rewrap.
CREATE TABLE variable (
    id              UUID         PRIMARY KEY,
    workspace_id    UUID         NOT NULL,
    key             TEXT         NOT NULL,
    secret          BOOLEAN      NOT NULL,
    value           TEXT,
    value_sealed    BYTEA,
    master_key_id   INTEGER,
    description     TEXT,
    created_by      TEXT         NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT variable_key_unique UNIQUE (workspace_id, key),
    CONSTRAINT variable_value_kind CHECK (
        (secret AND value IS NULL AND value_sealed IS NOT NULL AND master_key_id IS NOT NULL)
        OR (NOT secret AND value IS NOT NULL AND value_sealed IS NULL AND master_key_id IS NULL))
);
CREATE INDEX variable_master_key ON variable (master_key_id) WHERE secret;
