package io.linkflow.events.payload;

import java.util.UUID;

/**
 * auth.events: an account's e-mail address was proven to belong to its owner, for the first time.
 *
 * @param accountId the account (user id)
 * @param email the address as verified
 * @param method how: {@code oidc} (an identity provider vouched for it with email_verified)
 */
public record EmailVerifiedV1(UUID accountId, String email, String method) {}
