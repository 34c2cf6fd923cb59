package io.linkflow.user.invitation;

import java.time.Instant;
import java.util.UUID;

/**
 * A new invitation with its secret, returned once to the inviter and never again.
 *
 * @param id the invitation id
 * @param email the invitee's address
 * @param role the role they get on accepting
 * @param expiresAt when it stops being usable
 * @param token the single-use secret the invitee presents to accept or decline
 */
public record CreatedInvitation(
    UUID id, String email, String role, Instant expiresAt, String token) {}
