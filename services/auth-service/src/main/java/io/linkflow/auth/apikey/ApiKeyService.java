package io.linkflow.auth.apikey;

import io.linkflow.auth.audit.AuditTrail;
import io.linkflow.auth.membership.MembershipRepository;
import io.linkflow.auth.session.AccessTokenIssuer;
import io.linkflow.common.error.Problem;
import io.linkflow.common.error.ProblemException;
import io.linkflow.events.EventTypes;
import io.linkflow.events.outbox.Outbox;
import io.linkflow.events.payload.ApiKeyEventV1;
import io.linkflow.security.Roles;
import io.linkflow.security.Scopes;
import io.linkflow.security.crypto.Secrets;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * API keys for machines: created once (the key is returned only then), stored as a SHA-256, scoped,
 * expiring and revocable. A key acts for its creator in one workspace, never with more than the
 * creator's current role; services exchange it here for a short-lived access token.
 */
@ApplicationScoped
public class ApiKeyService {

  /** Every key starts with this, so leaked keys are easy to recognise and scan for. */
  public static final String KEY_PREFIX = "lf_";

  /** The key, shown once, and what was stored. */
  public record Created(ApiKey key, String secret) {}

  /** What an exchange answers. */
  public record ExchangedToken(String accessToken, String tokenType, long expiresIn) {}

  private final Pool pool;
  private final ApiKeyRepository keys;
  private final MembershipRepository memberships;
  private final AccessTokenIssuer issuer;
  private final Outbox outbox;
  private final AuditTrail audit;
  private final int maxDays;
  private final int defaultDays;
  private final Duration tokenTtl;

  public ApiKeyService(
      Pool pool,
      ApiKeyRepository keys,
      MembershipRepository memberships,
      AccessTokenIssuer issuer,
      Outbox outbox,
      AuditTrail audit,
      @ConfigProperty(name = "linkflow.auth.api-keys.max-days", defaultValue = "365") int maxDays,
      @ConfigProperty(name = "linkflow.auth.api-keys.default-days", defaultValue = "90")
          int defaultDays,
      @ConfigProperty(name = "linkflow.auth.api-keys.token-ttl", defaultValue = "5m")
          Duration tokenTtl) {
    this.pool = pool;
    this.keys = keys;
    this.memberships = memberships;
    this.issuer = issuer;
    this.outbox = outbox;
    this.audit = audit;
    this.maxDays = maxDays;
    this.defaultDays = defaultDays;
    this.tokenTtl = tokenTtl;
  }

  /**
   * Creates a key for {@code accountId} in {@code workspaceId}. {@code role} defaults to the
   * creator's role (owner becomes admin; a key never owns a workspace) and may not exceed it.
   */
  public Uni<Created> create(
      UUID accountId,
      UUID workspaceId,
      String name,
      List<String> scopes,
      String role,
      Integer expiresInDays) {
    String label = validName(name);
    List<String> validScopes = validScopes(scopes);
    int days = validDays(expiresInDays);
    if (role != null && (!Roles.isRole(role) || Roles.OWNER.equals(role))) {
      throw fieldError("/role", "must be admin, editor or viewer", "The role is not valid.");
    }
    String secret = KEY_PREFIX + Secrets.newSecret();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    return pool.withTransaction(
        tx ->
            memberships
                .role(tx, accountId, workspaceId)
                .flatMap(
                    creatorRole -> {
                      String ownRole = creatorRole.orElseThrow(ApiKeyService::notAMember);
                      String capped = Roles.OWNER.equals(ownRole) ? Roles.ADMIN : ownRole;
                      String keyRole = role == null ? capped : role;
                      if (!Roles.atLeast(ownRole, keyRole)) {
                        throw new ProblemException(
                            403, "An API key cannot have a higher role than yours.");
                      }
                      ApiKey key =
                          new ApiKey(
                              UUID.randomUUID(),
                              workspaceId,
                              accountId,
                              label,
                              secret.substring(0, KEY_PREFIX.length() + 6),
                              keyRole,
                              validScopes,
                              now.plus(Duration.ofDays(days)),
                              now,
                              null,
                              null);
                      return keys.insert(tx, key, Secrets.sha256Hex(secret))
                          .call(() -> announce(tx, EventTypes.API_KEY_CREATED_V1, key, "created"))
                          .call(
                              () ->
                                  audit.record(
                                      tx,
                                      "api_key.created",
                                      accountId,
                                      workspaceId,
                                      "success",
                                      Map.of("keyId", key.id().toString(), "name", label)))
                          .replaceWith(new Created(key, secret));
                    }));
  }

  /** Live keys of the workspace: all of them for admins, one's own for everyone else. */
  public Uni<List<ApiKey>> list(UUID accountId, UUID workspaceId, boolean admin) {
    return pool.withConnection(c -> keys.list(c, workspaceId, admin ? null : accountId));
  }

  /** Revokes a key; its creator or an admin may. 404 for keys of other workspaces or gone ones. */
  public Uni<Void> revoke(UUID accountId, UUID workspaceId, boolean admin, UUID id) {
    return pool.withTransaction(
        tx ->
            keys.lock(tx, workspaceId, id)
                .flatMap(
                    found -> {
                      ApiKey key =
                          found
                              .filter(k -> admin || k.createdBy().equals(accountId))
                              .orElseThrow(() -> new ProblemException(404, "No such API key."));
                      return revoke(tx, key, "revoked")
                          .call(
                              () ->
                                  audit.record(
                                      tx,
                                      "api_key.revoked",
                                      accountId,
                                      workspaceId,
                                      "success",
                                      Map.of("keyId", key.id().toString())));
                    }));
  }

  /** Revokes every key the account created in the workspace (it left or was removed). */
  public Uni<Void> revokeAllBy(SqlClient tx, UUID accountId, UUID workspaceId, String reason) {
    return keys.list(tx, workspaceId, accountId)
        .flatMap(
            found -> {
              Uni<Void> chain = Uni.createFrom().voidItem();
              for (ApiKey key : found) {
                chain = chain.call(() -> revoke(tx, key, reason));
              }
              return chain;
            });
  }

  /**
   * A short-lived access token for a live key: {@code sub} the creator, {@code wid} the key's
   * workspace, {@code groups} the lower of the key's role and the creator's current one, {@code
   * scope} the key's scopes, {@code akid} the key id. 401 for unknown, revoked or expired keys and
   * for keys whose creator has left the workspace.
   */
  public Uni<ExchangedToken> exchange(String secret) {
    if (secret == null || !secret.startsWith(KEY_PREFIX)) {
      return Uni.createFrom().failure(refused());
    }
    return pool.withTransaction(
            tx ->
                keys.findByHash(tx, Secrets.sha256Hex(secret))
                    .flatMap(
                        found -> {
                          ApiKey key =
                              found
                                  .filter(k -> k.revokedAt() == null)
                                  .filter(k -> k.expiresAt().isAfter(Instant.now()))
                                  .orElseThrow(ApiKeyService::refused);
                          return memberships
                              .role(tx, key.createdBy(), key.workspaceId())
                              .flatMap(
                                  creatorRole -> {
                                    String role =
                                        Roles.atLeast(
                                                creatorRole.orElseThrow(ApiKeyService::refused),
                                                key.role())
                                            ? key.role()
                                            : creatorRole.get();
                                    return keys.touch(tx, key.id())
                                        .flatMap(
                                            ignored ->
                                                issuer.sign(
                                                    key.createdBy().toString(),
                                                    key.workspaceId(),
                                                    Set.of(role),
                                                    String.join(" ", key.scopes()),
                                                    tokenTtl,
                                                    Map.of("akid", key.id().toString())));
                                  });
                        }))
        .map(token -> new ExchangedToken(token, "Bearer", tokenTtl.toSeconds()));
  }

  private Uni<Void> revoke(SqlClient tx, ApiKey key, String reason) {
    return keys.revoke(tx, key.id(), reason)
        .call(() -> announce(tx, EventTypes.API_KEY_REVOKED_V1, key, reason));
  }

  private Uni<Void> announce(
      SqlClient tx, io.linkflow.events.EventType<ApiKeyEventV1> type, ApiKey key, String reason) {
    return outbox
        .append(
            tx,
            type,
            key.id().toString(),
            key.workspaceId().toString(),
            new ApiKeyEventV1(
                key.id(),
                key.workspaceId(),
                key.createdBy(),
                key.name(),
                key.role(),
                key.scopes(),
                key.expiresAt(),
                reason))
        .replaceWithVoid();
  }

  private static String validName(String name) {
    if (name == null || name.isBlank() || name.trim().length() > 100) {
      throw fieldError("/name", "required, at most 100 characters", "The key needs a name.");
    }
    return name.trim();
  }

  private static List<String> validScopes(List<String> scopes) {
    if (scopes == null || scopes.isEmpty()) {
      throw fieldError(
          "/scopes", "at least one scope", "Choose at least one scope, e.g. workflows:read.");
    }
    List<Problem.FieldError> errors = new ArrayList<>();
    for (int i = 0; i < scopes.size(); i++) {
      String scope = scopes.get(i);
      if (scope == null || !Scopes.isApiKeyScope(scope)) {
        errors.add(
            new Problem.FieldError(
                "/scopes/" + i, "unknown scope; use <area>:read or <area>:write"));
      }
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(
          Problem.of(400, "Some scopes are not valid; areas: " + String.join(", ", Scopes.AREAS))
              .withErrors(errors));
    }
    return List.copyOf(new LinkedHashSet<>(scopes));
  }

  private int validDays(Integer expiresInDays) {
    int days = expiresInDays == null ? defaultDays : expiresInDays;
    if (days < 1 || days > maxDays) {
      throw fieldError(
          "/expiresInDays",
          "between 1 and " + maxDays,
          "expiresInDays must be between 1 and " + maxDays + ".");
    }
    return days;
  }

  private static ProblemException fieldError(String pointer, String message, String detail) {
    return new ProblemException(
        Problem.of(400, detail).withErrors(List.of(new Problem.FieldError(pointer, message))));
  }

  private static ProblemException notAMember() {
    return new ProblemException(404, "No such workspace among yours.");
  }

  private static ProblemException refused() {
    return new ProblemException(401, "The API key is not valid.");
  }
}
