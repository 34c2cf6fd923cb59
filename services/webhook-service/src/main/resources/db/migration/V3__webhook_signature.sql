-- The trigger's signature check: none, or hmac-sha256 (X-LinkFlow-Signature: t=<unix>,v1=<hex>).
ALTER TABLE webhook ADD COLUMN signature TEXT NOT NULL DEFAULT 'none';

-- Signing secrets per Webhook trigger node, sealed under the service's master keys (libs/security
-- EnvelopeCipher, bound to the workspace and the row id); they outlive activations.
CREATE TABLE webhook_secret (
    id            UUID        PRIMARY KEY,
    workspace_id  UUID        NOT NULL,
    workflow_id   UUID        NOT NULL,
    node_id       TEXT        NOT NULL,
    secret_sealed BYTEA       NOT NULL,
    master_key_id INTEGER     NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (workspace_id, workflow_id, node_id)
);
