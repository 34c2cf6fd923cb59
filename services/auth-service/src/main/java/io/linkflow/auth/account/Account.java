package io.linkflow.auth.account;

import java.util.UUID;

/** An account: the credentials of one person. */
public record Account(UUID id, String email, String passwordHash, UUID personalWorkspaceId) {}
