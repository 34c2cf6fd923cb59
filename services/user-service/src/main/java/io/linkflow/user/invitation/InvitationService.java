package io.linkflow.user.invitation;

import io.linkflow.common.db.PgErrors;
import io.linkflow.common.error.ProblemException;
import io.linkflow.security.Roles;
import io.linkflow.security.crypto.Secrets;
import io.linkflow.user.access.Caller;
import io.linkflow.user.access.MemberAccess;
import io.linkflow.user.membership.MembershipEvents;
import io.linkflow.user.membership.MembershipRepository;
import io.linkflow.user.profile.ProfileService;
import io.linkflow.user.workspace.Workspace;
import io.linkflow.user.workspace.WorkspaceRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Invitations: admins invite an e-mail address with a role; the person with that address accepts
 * (becoming a member, announced as member_added with reason invitation_accepted) or declines, once.
 *
 * <p>Answers for a secret: unknown, or addressed to someone else: 404 (a stranger holding a secret
 * learns nothing); accepted, declined, revoked or expired: 410; the invitee already a member: 409.
 */
@ApplicationScoped
public class InvitationService {

  private final Pool pool;
  private final MemberAccess access;
  private final InvitationRepository invitations;
  private final WorkspaceRepository workspaces;
  private final MembershipRepository memberships;
  private final MembershipEvents events;
  private final ProfileService profiles;
  private final Duration ttl;

  public InvitationService(
      Pool pool,
      MemberAccess access,
      InvitationRepository invitations,
      WorkspaceRepository workspaces,
      MembershipRepository memberships,
      MembershipEvents events,
      ProfileService profiles,
      @ConfigProperty(name = "linkflow.user.invitation-ttl", defaultValue = "7d") Duration ttl) {
    this.pool = pool;
    this.access = access;
    this.invitations = invitations;
    this.workspaces = workspaces;
    this.memberships = memberships;
    this.events = events;
    this.profiles = profiles;
    this.ttl = ttl;
  }

  /**
   * Invites {@code email} to the caller's workspace as {@code role}: 409 when someone with that
   * address is already a member or already has a pending invitation; inviting an owner needs an
   * owner.
   */
  public Uni<CreatedInvitation> create(Caller caller, String email, String role) {
    UUID id = UUID.randomUUID();
    String secret = Secrets.newSecret();
    Instant expiresAt = Instant.now().plus(ttl).truncatedTo(ChronoUnit.MICROS);
    UUID workspace = caller.workspaceId();
    return pool.withTransaction(
            tx ->
                access
                    .lock(tx, caller, Roles.ADMIN)
                    .invoke(
                        callerRole -> {
                          if (Roles.OWNER.equals(role) && !Roles.OWNER.equals(callerRole)) {
                            throw new ProblemException(403, "Only an owner can invite an owner.");
                          }
                        })
                    .call(
                        () ->
                            invitations
                                .isMember(tx, workspace, email)
                                .invoke(
                                    member -> {
                                      if (member) {
                                        throw new ProblemException(
                                            409,
                                            "Someone with this e-mail address is already a member.");
                                      }
                                    }))
                    .call(() -> invitations.expireStale(tx, workspace, email))
                    .call(
                        () ->
                            invitations.insert(
                                tx,
                                id,
                                workspace,
                                email,
                                role,
                                Secrets.sha256Hex(secret),
                                caller.userId(),
                                expiresAt)))
        .onFailure(e -> PgErrors.uniqueViolation(e, InvitationRepository.ONE_PENDING))
        .transform(
            e ->
                new ProblemException(
                    409,
                    "This e-mail address already has a pending invitation to this workspace;"
                        + " revoke it to invite again."))
        .map(ignored -> new CreatedInvitation(id, email, role, expiresAt, secret));
  }

  public Uni<List<Invitation>> pending(Caller caller) {
    return access
        .require(pool, caller, Roles.ADMIN)
        .flatMap(ignored -> invitations.pending(pool, caller.workspaceId()));
  }

  /** Revokes a pending invitation of the caller's workspace; 404 when there is none. */
  public Uni<Void> revoke(Caller caller, UUID id) {
    return pool.withTransaction(
        tx ->
            access
                .lock(tx, caller, Roles.ADMIN)
                .flatMap(ignored -> invitations.revoke(tx, caller.workspaceId(), id))
                .invoke(
                    revoked -> {
                      if (!revoked) {
                        throw new ProblemException(
                            404, "No pending invitation with this id in this workspace.");
                      }
                    })
                .replaceWithVoid());
  }

  /** Pending invitations addressed to the person's e-mail address. */
  public Uni<List<ReceivedInvitation>> received(UUID userId) {
    return profiles.existing(pool, userId).flatMap(ignored -> invitations.pendingFor(pool, userId));
  }

  /** Makes the person a member with the invited role; returns the workspace they joined. */
  public Uni<Workspace> accept(UUID userId, String secret) {
    return pool.withTransaction(
        tx ->
            usable(tx, userId, secret)
                .flatMap(
                    invitation ->
                        memberships
                            .role(tx, invitation.workspaceId(), userId)
                            .invoke(
                                existing -> {
                                  if (existing.isPresent()) {
                                    throw new ProblemException(
                                        409, "You are already a member of this workspace.");
                                  }
                                })
                            .call(
                                () ->
                                    memberships.insert(
                                        tx, invitation.workspaceId(), userId, invitation.role()))
                            .call(() -> invitations.respond(tx, invitation.id(), "accepted"))
                            .call(
                                () ->
                                    events.added(
                                        tx,
                                        invitation.workspaceId(),
                                        userId,
                                        invitation.role(),
                                        MembershipEvents.INVITATION_ACCEPTED))
                            .flatMap(
                                ignored -> workspaces.find(tx, invitation.workspaceId(), userId))
                            .map(found -> found.orElseThrow())));
  }

  public Uni<Void> decline(UUID userId, String secret) {
    return pool.withTransaction(
        tx ->
            usable(tx, userId, secret)
                .flatMap(invitation -> invitations.respond(tx, invitation.id(), "declined")));
  }

  /**
   * The invitation with this secret, addressed to the caller and still usable, with its workspace
   * and itself locked for the transaction (workspace first, like every other change to it).
   */
  private Uni<InvitationRepository.ByToken> usable(SqlClient tx, UUID userId, String secret) {
    return invitations
        .byToken(tx, Secrets.sha256Hex(secret), userId)
        .map(
            found ->
                found
                    .filter(InvitationRepository.ByToken::addressedToCaller)
                    .orElseThrow(
                        () ->
                            new ProblemException(
                                404, "No invitation with this token is addressed to you.")))
        .call(invitation -> workspaces.lock(tx, invitation.workspaceId()))
        .call(
            invitation ->
                invitations
                    .lockIfLive(tx, invitation.id())
                    .invoke(
                        live -> {
                          if (!live) {
                            throw new ProblemException(
                                410,
                                "This invitation was already used, declined, revoked or has"
                                    + " expired.");
                          }
                        }));
  }
}
