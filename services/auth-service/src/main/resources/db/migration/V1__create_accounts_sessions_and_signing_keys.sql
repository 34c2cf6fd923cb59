-- People's credentials. The account id is also the user id in user-service.
CREATE TABLE account (
    id                     UUID         PRIMARY KEY,
    email                  TEXT         NOT NULL,
    email_normalized       TEXT         NOT NULL UNIQUE,
    password_hash          TEXT         NOT NULL,
    personal_workspace_id  UUID         NOT NULL,
    created_at             TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- Rotating refresh tokens. A session is a family: each refresh uses one token and issues its
-- successor. Presenting a token that was already used revokes the whole family (theft detection).
-- Only a SHA-256 of the token is stored.
CREATE TABLE refresh_token (
    id              UUID         PRIMARY KEY,
    family_id       UUID         NOT NULL,
    account_id      UUID         NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    workspace_id    UUID         NOT NULL,
    token_hash      TEXT         NOT NULL UNIQUE,
    issued_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at      TIMESTAMPTZ  NOT NULL,
    used_at         TIMESTAMPTZ,
    revoked_at      TIMESTAMPTZ,
    revoked_reason  TEXT
);
CREATE INDEX refresh_token_family ON refresh_token (family_id);
CREATE INDEX refresh_token_account ON refresh_token (account_id);

-- RS256 signing keys. Exactly one is active (retired_at NULL); retired keys stay published in the
-- JWKS until every token they signed has expired. Private keys are AES-256-GCM encrypted with the
-- key-encryption key from configuration.
CREATE TABLE signing_key (
    kid             TEXT         PRIMARY KEY,
    public_key      TEXT         NOT NULL,
    private_key     BYTEA        NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    retired_at      TIMESTAMPTZ
);
CREATE UNIQUE INDEX signing_key_one_active ON signing_key ((retired_at IS NULL)) WHERE retired_at IS NULL;
