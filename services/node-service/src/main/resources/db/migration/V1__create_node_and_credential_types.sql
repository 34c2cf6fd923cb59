-- The node-type registry: every version of every node type and every credential type, seeded from
-- the catalog files (src/main/resources/catalog) at start-up. Global, not workspace data.

CREATE TABLE node_type (
    type           TEXT         NOT NULL,
    version        INT          NOT NULL CHECK (version >= 1),
    display_name   TEXT         NOT NULL,
    category       TEXT         NOT NULL,
    kind           TEXT         NOT NULL CHECK (kind IN ('trigger', 'action')),
    description    TEXT         NOT NULL,
    -- The whole definition as the API returns it; compared as JSONB to detect changes.
    definition     JSONB        NOT NULL,
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (type, version)
);

CREATE INDEX node_type_category ON node_type (category);

CREATE TABLE credential_type (
    name           TEXT         PRIMARY KEY,
    definition     JSONB        NOT NULL,
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ  NOT NULL DEFAULT now()
);
