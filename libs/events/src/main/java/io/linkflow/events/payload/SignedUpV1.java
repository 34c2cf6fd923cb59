package io.linkflow.events.payload;

import java.util.UUID;

/**
 * auth.events: a person signed up. user-service creates the user and the personal workspace with
 * these ids.
 *
 * @param accountId the new account (also the user id)
 * @param email the e-mail address as entered
 * @param workspaceId the id of the personal workspace to create
 */
public record SignedUpV1(UUID accountId, String email, UUID workspaceId) {}
