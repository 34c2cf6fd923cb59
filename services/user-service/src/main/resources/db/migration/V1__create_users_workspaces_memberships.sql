-- People (the id is the auth-service account id), workspaces (tenants) and who belongs where.
CREATE TABLE app_user (
    id              UUID         PRIMARY KEY,
    email           TEXT         NOT NULL,
    email_verified  BOOLEAN      NOT NULL DEFAULT false,
    display_name    TEXT,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE TABLE workspace (
    id              UUID         PRIMARY KEY,
    name            TEXT         NOT NULL,
    personal        BOOLEAN      NOT NULL DEFAULT false,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE TABLE membership (
    workspace_id    UUID         NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
    user_id         UUID         NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    role            TEXT         NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'viewer')),
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX membership_user ON membership (user_id);
