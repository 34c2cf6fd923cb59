-- An account created by an external (OpenID Connect) log-in has no password. Password log-in against
-- such an account fails like a wrong password: PasswordHasher verifies against a decoy hash when the
-- stored hash is NULL and answers false.
ALTER TABLE account ALTER COLUMN password_hash DROP NOT NULL;

-- Identities at external OpenID Connect providers, linked to accounts. provider is the provider's
-- issuer (the ID token's iss) and subject its stable id for the person (sub); OpenID Connect makes
-- sub unique per issuer, so (provider, subject) names one person. An account has at most one
-- identity per provider, so an address reassigned at the provider cannot attach a second person.
CREATE TABLE external_identity (
    provider    TEXT         NOT NULL,
    subject     TEXT         NOT NULL,
    account_id  UUID         NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    linked_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, subject),
    CONSTRAINT external_identity_one_per_provider UNIQUE (provider, account_id)
);
CREATE INDEX external_identity_account ON external_identity (account_id);
