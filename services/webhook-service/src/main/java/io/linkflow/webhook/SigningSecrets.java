package io.linkflow.webhook;

import io.linkflow.common.error.ProblemException;
import io.linkflow.security.crypto.EnvelopeCipher;
import io.linkflow.security.crypto.SecretCipher;
import io.linkflow.security.crypto.Secrets;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signing secrets of Webhook trigger nodes: created (or replaced) by an editor and shown once,
 * sealed at rest, opened when a signed call arrives (kept open in memory for a minute per replica,
 * so a busy webhook costs no query and no decryption per call; a rotation reaches every replica
 * within that minute).
 */
@ApplicationScoped
public class SigningSecrets {

  static final long CACHE_NANOS = 60_000_000_000L;

  private record Key(UUID workspaceId, UUID workflowId, String nodeId) {}

  private record Open(Optional<String> secret, long expiresAt) {}

  /** A new secret as shown once. */
  public record Created(UUID workflowId, String nodeId, String secret, Instant createdAt) {}

  private final Pool pool;
  private final SecretCipher cipher;
  private final ConcurrentHashMap<Key, Open> cache = new ConcurrentHashMap<>();

  public SigningSecrets(Pool pool, SecretCipher cipher) {
    this.pool = pool;
    this.cipher = cipher;
  }

  /**
   * A new signing secret for the webhook of {@code nodeId}, replacing any earlier one; 404 when the
   * workspace has no active webhook with that workflow and node.
   */
  public Uni<Created> create(UUID workspaceId, UUID workflowId, String nodeId) {
    String secret = "whsec_" + Secrets.newSecret();
    UUID id = UUID.randomUUID();
    byte[] sealed = cipher.sealText(workspaceId, id, secret);
    Instant now = Instant.now();
    return pool.withTransaction(
            tx ->
                tx.preparedQuery(
                        "SELECT 1 FROM webhook WHERE workspace_id = $1 AND workflow_id = $2"
                            + " AND node_id = $3")
                    .execute(Tuple.of(workspaceId, workflowId, nodeId))
                    .flatMap(
                        found -> {
                          if (found.size() == 0) {
                            throw new ProblemException(
                                404,
                                "No active webhook of this workflow has node id "
                                    + nodeId
                                    + " in this workspace; activate the workflow first.");
                          }
                          return tx.preparedQuery(
                                  "INSERT INTO webhook_secret (id, workspace_id, workflow_id,"
                                      + " node_id, secret_sealed, master_key_id, created_at)"
                                      + " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT"
                                      + " (workspace_id, workflow_id, node_id) DO UPDATE SET"
                                      + " id = EXCLUDED.id, secret_sealed = EXCLUDED.secret_sealed,"
                                      + " master_key_id = EXCLUDED.master_key_id,"
                                      + " created_at = EXCLUDED.created_at")
                              .execute(
                                  Tuple.from(
                                      new Object[] {
                                        id,
                                        workspaceId,
                                        workflowId,
                                        nodeId,
                                        io.vertx.core.buffer.Buffer.buffer(sealed),
                                        EnvelopeCipher.masterKeyId(sealed),
                                        now.atOffset(ZoneOffset.UTC)
                                      }));
                        }))
        .invoke(done -> cache.remove(new Key(workspaceId, workflowId, nodeId)))
        .replaceWith(new Created(workflowId, nodeId, secret, now));
  }

  /** The secret of a webhook's node, or empty when none was created. */
  public Uni<Optional<String>> secretOf(Webhook hook) {
    Key key = new Key(hook.workspaceId(), hook.workflowId(), hook.nodeId());
    Open open = cache.get(key);
    if (open != null && System.nanoTime() - open.expiresAt() < 0) {
      return Uni.createFrom().item(open.secret());
    }
    return pool.withConnection(
            c ->
                c.preparedQuery(
                        "SELECT id, secret_sealed FROM webhook_secret WHERE workspace_id = $1"
                            + " AND workflow_id = $2 AND node_id = $3")
                    .execute(Tuple.of(key.workspaceId(), key.workflowId(), key.nodeId())))
        .map(
            rows -> {
              Optional<String> secret = Optional.empty();
              for (Row r : rows) {
                secret =
                    Optional.of(
                        cipher.openText(
                            key.workspaceId(),
                            r.getUUID("id"),
                            r.getBuffer("secret_sealed").getBytes()));
              }
              cache.put(key, new Open(secret, System.nanoTime() + CACHE_NANOS));
              return secret;
            });
  }
}
