package io.linkflow.variable;

import io.linkflow.common.error.Problem;
import io.linkflow.common.error.ProblemException;
import io.linkflow.common.tenancy.TenantContext;
import io.linkflow.events.EventTypes;
import io.linkflow.events.outbox.Outbox;
import io.linkflow.events.payload.AuditRecordedV1;
import io.linkflow.security.Scopes;
import io.linkflow.security.crypto.CiphertextRejectedException;
import io.linkflow.security.crypto.SecretCipher;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Every variable of a workspace with secret values unsealed, for the services that run nodes
 * ({@code $vars}): only service tokens with the internal scope {@code variable-values:read} — never
 * a person's token or an API key, whatever their role or scopes — and never routed by the edge.
 * Service tokens carry no workspace, so the caller names it. A read that unsealed secrets is
 * recorded on audit.log ({@code variable.secrets_read}, the keys, never the values) in the same
 * transaction.
 */
@Path("/internal/v1/variables")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "internal", description = "Service-to-service; not routed by the edge")
public class InternalVariableResource {

  private static final Logger LOG = Logger.getLogger(InternalVariableResource.class);

  /** The answer: key → value, secret values in plaintext. */
  public record Values(Map<String, String> values) {}

  private final Pool pool;
  private final VariableRepository variables;
  private final SecretCipher cipher;
  private final Outbox outbox;
  private final TenantContext tenant;

  public InternalVariableResource(
      Pool pool,
      VariableRepository variables,
      SecretCipher cipher,
      Outbox outbox,
      TenantContext tenant) {
    this.pool = pool;
    this.variables = variables;
    this.cipher = cipher;
    this.outbox = outbox;
    this.tenant = tenant;
  }

  @GET
  @PermissionsAllowed(Scopes.VARIABLE_VALUES_READ)
  @Operation(summary = "Every variable of a workspace, secret values unsealed (audited)")
  @APIResponse(responseCode = "200", description = "{\"values\": {key: value}}")
  @APIResponse(responseCode = "400", description = "workspaceId missing or not a UUID")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "Not a service token with variable-values:read")
  @APIResponse(
      responseCode = "500",
      description = "A stored secret was rejected (altered, or its master key is missing)")
  public Uni<Values> values(@QueryParam("workspaceId") String workspaceId) {
    UUID workspace;
    try {
      workspace = UUID.fromString(String.valueOf(workspaceId));
    } catch (IllegalArgumentException e) {
      throw new ProblemException(
          Problem.of(400, "Name the workspace: ?workspaceId=<uuid>.")
              .withErrors(List.of(new Problem.FieldError("workspaceId", "a UUID"))));
    }
    String actor = tenant.principal().orElseThrow();
    return pool.withTransaction(
        tx ->
            variables
                .values(tx, workspace)
                .flatMap(
                    stored -> {
                      Map<String, String> values = new LinkedHashMap<>();
                      List<String> secretKeys = new ArrayList<>();
                      for (VariableRepository.Stored variable : stored) {
                        if (variable.secret()) {
                          values.put(variable.key(), open(workspace, variable));
                          secretKeys.add(variable.key());
                        } else {
                          values.put(variable.key(), variable.value());
                        }
                      }
                      Values answer = new Values(values);
                      if (secretKeys.isEmpty()) {
                        return Uni.createFrom().item(answer);
                      }
                      return outbox
                          .append(
                              tx,
                              EventTypes.AUDIT_RECORDED_V1,
                              workspace.toString(),
                              workspace.toString(),
                              new AuditRecordedV1(
                                  "variable.secrets_read",
                                  actor,
                                  actor.startsWith("service:") ? "service" : "user",
                                  "workspace",
                                  workspace.toString(),
                                  "success",
                                  Map.of("keys", String.join(",", secretKeys))))
                          .replaceWith(answer);
                    }));
  }

  private String open(UUID workspace, VariableRepository.Stored variable) {
    try {
      return cipher.openText(workspace, variable.id(), variable.sealed());
    } catch (CiphertextRejectedException e) {
      LOG.errorf(
          "Secret variable %s (%s) of workspace %s cannot be decrypted: its ciphertext was"
              + " rejected (altered, moved, or its master key is not configured)",
          variable.key(), variable.id(), workspace);
      throw new ProblemException(
          500,
          "The secret variable "
              + variable.key()
              + " cannot be decrypted (it was altered or its master key is not configured);"
              + " quote the request id when reporting it.");
    }
  }
}
