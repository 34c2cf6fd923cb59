package io.linkflow.security.crypto;

import io.linkflow.common.error.ProblemException;
import io.linkflow.security.Scopes;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * The operator's master-key rotation command ({@code make rotate-secrets}): rewraps, now, every
 * ciphertext of the service that is not under its primary master key, and says how many are left (0
 * means the old key can be removed from configuration). Service tokens with {@code secrets:rewrap}
 * only; not routed by the edge. 404 in services that keep no secrets.
 */
@Path("/internal/v1/secrets/rewrap")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "operations", description = "Operator commands")
public class SecretsRewrapResource {

  private static final Logger LOG = Logger.getLogger(SecretsRewrapResource.class);

  /**
   * The outcome.
   *
   * @param primaryKeyId the master key everything is now wrapped by
   * @param rewrapped how many ciphertexts this call rewrapped
   * @param remaining how many are still under another key (rows written concurrently by an old
   *     replica); run again until 0
   */
  public record Result(int primaryKeyId, int rewrapped, long remaining) {}

  private final Instance<SealedSecrets> declared;
  private final MasterKeyRotation rotation;

  public SecretsRewrapResource(Instance<SealedSecrets> declared, MasterKeyRotation rotation) {
    this.declared = declared;
    this.rotation = rotation;
  }

  @POST
  @PermissionsAllowed(Scopes.SECRETS_REWRAP)
  @Operation(summary = "Rewrap every secret under the primary master key now")
  @APIResponse(responseCode = "200", description = "{primaryKeyId, rewrapped, remaining}")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "Not a service token with secrets:rewrap")
  @APIResponse(responseCode = "404", description = "This service keeps no secrets")
  public Uni<Result> rewrap() {
    if (!declared.isResolvable()) {
      throw new ProblemException(404, "This service keeps no secrets at rest.");
    }
    MasterKeyRewrapper rewrapper = rotation.rewrapper();
    return rewrapper
        .rewrapAll()
        .flatMap(
            done ->
                rewrapper.remaining().map(left -> new Result(rewrapper.primaryKeyId(), done, left)))
        .invoke(
            result ->
                LOG.infof(
                    "Rotation command: rewrapped %d secrets under master key %d, %d left",
                    result.rewrapped(), result.primaryKeyId(), result.remaining()));
  }
}
