-- Credentials of a workspace, each of a credential type of the node catalog. The whole field object
-- (secret and plain fields, OAuth2 tokens) is stored only as an envelope ciphertext (libs/security
-- SecretCipher, bound to the workspace and credential id) with the id of the master key that
-- wrapped its data key; public_data repeats the non-secret fields so reads never decrypt.
CREATE TABLE credential (
    id                     UUID         PRIMARY KEY,
    workspace_id           UUID         NOT NULL,
    name                   TEXT         NOT NULL,
    type                   TEXT         NOT NULL,
    status                 TEXT         NOT NULL,
    status_reason          TEXT,
    public_data            JSONB        NOT NULL,
    secret_fields          TEXT[]       NOT NULL,
    data_sealed            BYTEA        NOT NULL,
    master_key_id          INTEGER      NOT NULL,
    -- OAuth2: when the access token expires; the refresher renews it before
    token_expires_at       TIMESTAMPTZ,
    -- OAuth2: a refresher instance is refreshing it until then (replicas share the work)
    refresh_claimed_until  TIMESTAMPTZ,
    version                BIGINT       NOT NULL DEFAULT 1,
    created_by             TEXT         NOT NULL,
    updated_by             TEXT         NOT NULL,
    created_at             TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at             TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT credential_status CHECK (
        status IN ('ready', 'pending_authorization', 'needs_reconnect'))
);
CREATE UNIQUE INDEX credential_name_unique ON credential (workspace_id, lower(name));
CREATE INDEX credential_page ON credential (workspace_id, name, id);
CREATE INDEX credential_master_key ON credential (master_key_id);
CREATE INDEX credential_refresh_due ON credential (token_expires_at)
    WHERE status = 'ready' AND token_expires_at IS NOT NULL;

-- Pending OAuth2 authorizations: the state (only its SHA-256) is single use, expires, and is bound
-- to the credential, its workspace and the person who started it; the PKCE verifier is sealed.
CREATE TABLE oauth2_authorization (
    state_hash       TEXT         PRIMARY KEY,
    credential_id    UUID         NOT NULL REFERENCES credential (id) ON DELETE CASCADE,
    workspace_id     UUID         NOT NULL,
    started_by       TEXT         NOT NULL,
    verifier_sealed  BYTEA        NOT NULL,
    master_key_id    INTEGER      NOT NULL,
    redirect_uri     TEXT         NOT NULL,
    expires_at       TIMESTAMPTZ  NOT NULL,
    created_at       TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX oauth2_authorization_credential ON oauth2_authorization (credential_id);
CREATE INDEX oauth2_authorization_expiry ON oauth2_authorization (expires_at);
