package io.linkflow.credential;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.common.error.ProblemException;
import io.linkflow.security.crypto.CiphertextRejectedException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The internal decrypt: a credential's plaintext fields for a service that runs nodes. Every
 * attempt on an existing credential is recorded as {@code credential.access} on audit.log in the
 * same transaction that reads it — granted ({@code success}) or refused ({@code failure}: not
 * connected, token expired, ciphertext rejected).
 */
@ApplicationScoped
public class CredentialAccess {

  private static final Logger LOG = Logger.getLogger(CredentialAccess.class);

  /**
   * A decrypted credential.
   *
   * @param data every field, secret ones included
   * @param accessToken for OAuth2 credentials, the current access token (also in {@code data})
   * @param expiresAt for OAuth2 credentials, when it expires (null if the provider did not say)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Decrypted(
      UUID id,
      UUID workspaceId,
      String name,
      String type,
      String status,
      ObjectNode data,
      String accessToken,
      Instant expiresAt) {}

  /** What the transaction decided: the plaintext, or the problem to answer once it committed. */
  private record Outcome(Decrypted decrypted, ProblemException refusal) {}

  private final Pool pool;
  private final CredentialRepository credentials;
  private final CredentialSecrets secrets;
  private final CredentialEvents events;

  public CredentialAccess(
      Pool pool,
      CredentialRepository credentials,
      CredentialSecrets secrets,
      CredentialEvents events) {
    this.pool = pool;
    this.credentials = credentials;
    this.secrets = secrets;
    this.events = events;
  }

  /**
   * The plaintext of credential {@code id} of {@code workspaceId} for {@code actor}: 404 when it is
   * not in that workspace, 409 when it is not ready (OAuth2 not connected, needs reconnecting,
   * access token expired), 500 when its ciphertext is rejected.
   */
  public Uni<Decrypted> decrypt(
      UUID workspaceId, UUID id, String actor, Map<String, String> context) {
    return pool.withTransaction(
            tx ->
                credentials
                    .require(tx, workspaceId, id, false)
                    .flatMap(
                        credential -> {
                          Outcome outcome = open(credential);
                          return audit(tx, credential, actor, context, outcome)
                              .replaceWith(outcome);
                        }))
        .map(
            outcome -> {
              if (outcome.refusal() != null) {
                throw outcome.refusal();
              }
              return outcome.decrypted();
            });
  }

  private Outcome open(StoredCredential credential) {
    if (!Credential.READY.equals(credential.status())) {
      return refused(
          "The credential is not ready ("
              + credential.status()
              + "): "
              + credential.statusReason());
    }
    if (credential.tokenExpiresAt() != null
        && credential.tokenExpiresAt().isBefore(Instant.now())) {
      return refused(
          "The credential's access token expired and has not been refreshed yet; try again"
              + " shortly, or reconnect the credential.");
    }
    ObjectNode data;
    try {
      data = secrets.open(credential.workspaceId(), credential.id(), credential.sealed());
    } catch (CiphertextRejectedException e) {
      LOG.errorf(
          "Decrypt of credential %s refused: its ciphertext was rejected (altered, moved, or"
              + " master key %d not configured)",
          credential.id(), credential.masterKeyId());
      return new Outcome(null, CredentialService.undecryptable());
    }
    boolean oauth2 = CredentialFields.OAUTH2_AUTHORIZATION_CODE.equals(credential.type());
    return new Outcome(
        new Decrypted(
            credential.id(),
            credential.workspaceId(),
            credential.name(),
            credential.type(),
            credential.status(),
            data,
            oauth2 && data.hasNonNull("accessToken") ? data.get("accessToken").asText() : null,
            oauth2 ? credential.tokenExpiresAt() : null),
        null);
  }

  private Uni<Void> audit(
      SqlClient tx,
      StoredCredential credential,
      String actor,
      Map<String, String> context,
      Outcome outcome) {
    Map<String, String> details = new LinkedHashMap<>(context);
    details.put("name", credential.name());
    details.put("type", credential.type());
    if (outcome.refusal() != null) {
      details.put("reason", outcome.refusal().problem().detail());
    }
    return events.accessed(
        tx,
        credential.workspaceId(),
        credential.id(),
        actor,
        outcome.refusal() == null ? CredentialEvents.SUCCESS : CredentialEvents.FAILURE,
        details);
  }

  private static Outcome refused(String detail) {
    return new Outcome(null, new ProblemException(409, detail));
  }
}
