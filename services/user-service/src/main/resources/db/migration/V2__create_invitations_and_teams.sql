-- Invitations to join a workspace, and teams (groups of members inside one workspace).

-- E-mail addresses are matched case-insensitively (invitations are addressed to an e-mail).
CREATE INDEX app_user_email_lower ON app_user (lower(email));

-- An invitation is a single-use secret: only its SHA-256 (hex) is stored. A pending invitation
-- whose expires_at has passed is treated as expired; it is marked 'expired' when a new invitation
-- to the same address replaces it.
CREATE TABLE invitation (
    id                UUID         PRIMARY KEY,
    workspace_id      UUID         NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
    email             TEXT         NOT NULL,
    email_normalized  TEXT         NOT NULL,
    role              TEXT         NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'viewer')),
    token_hash        TEXT         NOT NULL UNIQUE,
    invited_by        UUID         NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    status            TEXT         NOT NULL DEFAULT 'pending'
                                   CHECK (status IN ('pending', 'accepted', 'declined', 'revoked', 'expired')),
    created_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at        TIMESTAMPTZ  NOT NULL,
    responded_at      TIMESTAMPTZ
);
-- At most one pending invitation per address and workspace.
CREATE UNIQUE INDEX invitation_one_pending ON invitation (workspace_id, email_normalized)
    WHERE status = 'pending';
CREATE INDEX invitation_pending_email ON invitation (email_normalized) WHERE status = 'pending';

CREATE TABLE team (
    id                UUID         PRIMARY KEY,
    workspace_id      UUID         NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
    name              TEXT         NOT NULL,
    description       TEXT,
    created_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    UNIQUE (id, workspace_id)
);
-- Team names are unique per workspace, whatever their case.
CREATE UNIQUE INDEX team_name_per_workspace ON team (workspace_id, lower(name));

-- A team member must be a member of the team's workspace: the foreign key to membership removes
-- people from every team of a workspace when they leave it or are removed from it.
CREATE TABLE team_member (
    team_id           UUID         NOT NULL,
    workspace_id      UUID         NOT NULL,
    user_id           UUID         NOT NULL,
    added_at          TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (team_id, user_id),
    FOREIGN KEY (team_id, workspace_id) REFERENCES team (id, workspace_id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, user_id) REFERENCES membership (workspace_id, user_id) ON DELETE CASCADE
);
CREATE INDEX team_member_membership ON team_member (workspace_id, user_id);
