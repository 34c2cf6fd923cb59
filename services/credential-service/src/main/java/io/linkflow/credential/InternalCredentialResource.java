package io.linkflow.credential;

import io.linkflow.common.error.Problem;
import io.linkflow.common.error.ProblemException;
import io.linkflow.common.tenancy.TenantContext;
import io.linkflow.security.Scopes;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The internal decrypt, for services that run nodes (the executor): only service tokens with the
 * internal scope {@code credentials:decrypt} — never a person's token, whatever their role — and
 * never routed by the edge. Service tokens carry no workspace, so the caller names it; a credential
 * of another workspace is 404. Every decrypt is audited.
 */
@Path("/internal/v1/credentials")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "internal", description = "Service-to-service; not routed by the edge")
public class InternalCredentialResource {

  /**
   * Decrypt body.
   *
   * @param workspaceId the workspace the credential must belong to (the run's workspace)
   * @param executionId optional: the execution it is for, recorded on the audit trail
   */
  public record DecryptRequest(UUID workspaceId, String executionId) {}

  private final CredentialAccess access;
  private final TenantContext tenant;

  public InternalCredentialResource(CredentialAccess access, TenantContext tenant) {
    this.access = access;
    this.tenant = tenant;
  }

  @POST
  @Path("/{id}/decrypt")
  @Consumes(MediaType.APPLICATION_JSON)
  @PermissionsAllowed(Scopes.CREDENTIALS_DECRYPT)
  @Operation(summary = "A credential's plaintext fields (audited as credential.access)")
  @APIResponse(
      responseCode = "200",
      description = "{id, workspaceId, name, type, status, data, accessToken?, expiresAt?}")
  @APIResponse(responseCode = "400", description = "workspaceId missing")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "The token lacks credentials:decrypt")
  @APIResponse(responseCode = "404", description = "No such credential in that workspace")
  @APIResponse(
      responseCode = "409",
      description =
          "Not usable now: OAuth2 not connected (pending_authorization), refresh refused"
              + " (needs_reconnect), or access token expired")
  @APIResponse(
      responseCode = "500",
      description = "The stored ciphertext was rejected (altered, or its master key is missing)")
  public Uni<CredentialAccess.Decrypted> decrypt(@PathParam("id") UUID id, DecryptRequest body) {
    DecryptRequest request = ProblemException.requireBody(body);
    if (request.workspaceId() == null) {
      throw new ProblemException(
          Problem.of(400, "Name the workspace of the credential.")
              .withErrors(List.of(new Problem.FieldError("/workspaceId", "required"))));
    }
    Map<String, String> context = new LinkedHashMap<>();
    if (request.executionId() != null && !request.executionId().isBlank()) {
      context.put("executionId", request.executionId());
    }
    return access.decrypt(request.workspaceId(), id, tenant.principal().orElseThrow(), context);
  }
}
