-- auth-service's copy of who belongs to which workspace with which role, kept from user.events
-- (member_added / member_role_changed / member_removed). Tokens carry the role from here.
CREATE TABLE membership (
    account_id      UUID         NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    workspace_id    UUID         NOT NULL,
    role            TEXT         NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'viewer')),
    updated_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, workspace_id)
);
INSERT INTO membership (account_id, workspace_id, role)
    SELECT id, personal_workspace_id, 'owner' FROM account;

-- Where a session was started, shown when a person lists their sessions (copied along the family).
ALTER TABLE refresh_token ADD COLUMN client_ip TEXT;
ALTER TABLE refresh_token ADD COLUMN user_agent TEXT;
ALTER TABLE refresh_token ADD COLUMN started_at TIMESTAMPTZ;
UPDATE refresh_token SET started_at = issued_at;
ALTER TABLE refresh_token ALTER COLUMN started_at SET NOT NULL;

-- API keys for machines. Only a SHA-256 of the key is stored (keys are 256-bit random secrets); the
-- prefix identifies a key in lists without revealing it.
CREATE TABLE api_key (
    id              UUID         PRIMARY KEY,
    workspace_id    UUID         NOT NULL,
    created_by      UUID         NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    name            TEXT         NOT NULL,
    prefix          TEXT         NOT NULL,
    key_hash        TEXT         NOT NULL UNIQUE,
    role            TEXT         NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
    scopes          TEXT[]       NOT NULL,
    expires_at      TIMESTAMPTZ  NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    last_used_at    TIMESTAMPTZ,
    revoked_at      TIMESTAMPTZ,
    revoked_reason  TEXT
);
CREATE INDEX api_key_workspace ON api_key (workspace_id);
CREATE INDEX api_key_creator ON api_key (created_by, workspace_id);

-- Key rotation publishes the next key before it signs: a key signs from activates_at until its
-- successor activates (retired_at = the successor's activates_at), so every verifier has had time
-- to fetch it. Rotations serialise on an advisory lock instead of the one-active index.
ALTER TABLE signing_key ADD COLUMN activates_at TIMESTAMPTZ;
UPDATE signing_key SET activates_at = created_at;
ALTER TABLE signing_key ALTER COLUMN activates_at SET NOT NULL;
DROP INDEX signing_key_one_active;
