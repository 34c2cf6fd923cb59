package io.linkflow.credential;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.events.EventTypes;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Refreshes OAuth2 access tokens before they expire: every {@code
 * linkflow.credential.oauth2.refresh-interval}, credentials whose token expires within {@code
 * refresh-lead-time} are claimed (a lease, rows taken with SKIP LOCKED so replicas share the work)
 * and refreshed at their token endpoint. A provider that refuses (e.g. {@code invalid_grant}) turns
 * the credential {@code needs_reconnect} with a readable reason and announces {@code
 * credential.refresh_failed}; an unreachable one is retried once the lease ends.
 */
@ApplicationScoped
public class TokenRefresher {

  private static final Logger LOG = Logger.getLogger(TokenRefresher.class);

  /** Credentials claimed per run. */
  static final int BATCH = 100;

  /** How long a claim keeps other replicas (and this one) off a credential. */
  static final Duration LEASE = Duration.ofMinutes(2);

  private final Pool pool;
  private final CredentialRepository credentials;
  private final CredentialService service;
  private final CredentialEvents events;
  private final OAuth2Client client;
  private final OAuth2Flow flow;
  private final Duration leadTime;

  public TokenRefresher(
      Pool pool,
      CredentialRepository credentials,
      CredentialService service,
      CredentialEvents events,
      OAuth2Client client,
      OAuth2Flow flow,
      @ConfigProperty(name = "linkflow.credential.oauth2.refresh-lead-time", defaultValue = "5m")
          Duration leadTime) {
    this.pool = pool;
    this.credentials = credentials;
    this.service = service;
    this.events = events;
    this.client = client;
    this.flow = flow;
    this.leadTime = leadTime;
  }

  @Scheduled(
      every = "${linkflow.credential.oauth2.refresh-interval:1m}",
      delayed = "15s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> scheduled() {
    return refreshDue()
        .onFailure()
        .invoke(e -> LOG.warnf(e, "Refreshing OAuth2 tokens failed; will retry"))
        .onFailure()
        .recoverWithItem(0)
        .replaceWithVoid();
  }

  /**
   * One run: drops expired pending authorizations, then refreshes the credentials due (at most
   * {@link #BATCH}); answers how many were refreshed.
   */
  public Uni<Integer> refreshDue() {
    return pool.preparedQuery("DELETE FROM oauth2_authorization WHERE expires_at < now()")
        .execute()
        .flatMap(
            ignored ->
                pool.withTransaction(
                    tx ->
                        credentials.claimDueForRefresh(
                            tx,
                            CredentialFields.OAUTH2_AUTHORIZATION_CODE,
                            leadTime.toSeconds(),
                            LEASE.toSeconds(),
                            BATCH)))
        .flatMap(this::refreshAll);
  }

  private Uni<Integer> refreshAll(List<UUID[]> claimed) {
    if (claimed.isEmpty()) {
      return Uni.createFrom().item(0);
    }
    return Multi.createFrom()
        .iterable(claimed)
        .onItem()
        .transformToUniAndConcatenate(ids -> refresh(ids[0], ids[1]))
        .collect()
        .asList()
        .map(results -> (int) results.stream().filter(Boolean::booleanValue).count())
        .invoke(
            refreshed ->
                LOG.infof(
                    "Refreshed the OAuth2 tokens of %d of %d credentials",
                    refreshed, claimed.size()));
  }

  /** Refreshes one credential; answers whether it got new tokens. Never fails. */
  Uni<Boolean> refresh(UUID workspaceId, UUID id) {
    return pool.withConnection(c -> credentials.find(c, workspaceId, id, false))
        .flatMap(
            found -> {
              if (found.isEmpty() || !Credential.READY.equals(found.get().status())) {
                return Uni.createFrom().item(false);
              }
              StoredCredential credential = found.get();
              ObjectNode data;
              try {
                data = service.open(credential);
              } catch (RuntimeException e) {
                // logged by open(); leave the lease to expire
                return Uni.createFrom().item(false);
              }
              if (!data.hasNonNull("refreshToken")) {
                return needsReconnect(
                    credential,
                    "The provider issued no refresh token, so the access token cannot be renewed;"
                        + " reconnect the credential.");
              }
              Map<String, String> form = new LinkedHashMap<>();
              form.put("grant_type", "refresh_token");
              form.put("refresh_token", data.get("refreshToken").asText());
              OAuth2Flow.clientCredentials(data, form);
              return client
                  .token(data.path("tokenUrl").asText(), form)
                  .flatMap(
                      tokens ->
                          flow.storeTokens(
                              workspaceId, id, tokens, CredentialEvents.SERVICE_ACTOR, false))
                  .replaceWith(true)
                  .onFailure(OAuth2Client.TokenEndpointException.class)
                  .recoverWithUni(
                      e -> {
                        if (((OAuth2Client.TokenEndpointException) e).refused()) {
                          return needsReconnect(
                              credential,
                              "The provider refused to renew the access token ("
                                  + e.getMessage()
                                  + "); reconnect the credential.");
                        }
                        LOG.warnf(
                            "Refreshing the OAuth2 token of credential %s failed, will retry: %s",
                            id, e.getMessage());
                        return Uni.createFrom().item(false);
                      });
            })
        .onFailure()
        .recoverWithItem(
            e -> {
              LOG.warnf(e, "Refreshing the OAuth2 token of credential %s failed", id);
              return false;
            });
  }

  private Uni<Boolean> needsReconnect(StoredCredential credential, String reason) {
    LOG.warnf("Credential %s needs reconnecting: %s", credential.id(), reason);
    return pool.withTransaction(
            tx ->
                credentials
                    .updateStatus(
                        tx,
                        credential.workspaceId(),
                        credential.id(),
                        credential.version(),
                        Credential.NEEDS_RECONNECT,
                        reason)
                    .call(
                        changed ->
                            changed
                                ? credentials
                                    .require(tx, credential.workspaceId(), credential.id(), false)
                                    .call(
                                        updated ->
                                            events.changed(
                                                tx,
                                                EventTypes.CREDENTIAL_REFRESH_FAILED_V1,
                                                updated,
                                                CredentialEvents.SERVICE_ACTOR,
                                                Map.of("reason", reason)))
                                : Uni.createFrom().voidItem()))
        .replaceWith(false);
  }
}
