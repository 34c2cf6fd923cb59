package io.linkflow.webhook;

import io.linkflow.common.tenancy.TenantContext;
import io.linkflow.security.Roles;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The webhooks of the caller's workspace: what its active workflows listen on. */
@Path("/api/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "webhooks", description = "Webhook registrations of active workflows")
public class WebhookResource {

  /** A webhook as the API shows it; {@code url} is relative to the API's base URL. */
  public record WebhookView(
      String method,
      String path,
      String url,
      UUID workflowId,
      UUID versionId,
      String nodeId,
      String responseMode,
      int responseCode,
      String auth,
      String signature,
      Integer rateLimitPerMinute,
      Instant registeredAt) {}

  /** The list: every webhook of the workspace (one per active Webhook trigger). */
  public record WebhookList(List<WebhookView> items) {}

  /** Which webhook a signing secret is for. */
  public record SecretRequest(UUID workflowId, String nodeId) {}

  private final Pool pool;
  private final WebhookRepository webhooks;
  private final TenantContext tenant;
  private final SigningSecrets secrets;

  public WebhookResource(
      Pool pool, WebhookRepository webhooks, TenantContext tenant, SigningSecrets secrets) {
    this.pool = pool;
    this.webhooks = webhooks;
    this.tenant = tenant;
    this.secrets = secrets;
  }

  @jakarta.ws.rs.POST
  @Path("signing-secrets")
  @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary =
          "Create (or replace) the signing secret of an active webhook; shown once, in this answer")
  @APIResponse(responseCode = "201", description = "{workflowId, nodeId, secret, createdAt}")
  @APIResponse(responseCode = "400", description = "workflowId or nodeId missing")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "Below editor")
  @APIResponse(
      responseCode = "404",
      description = "No active webhook of that workflow and node in this workspace")
  public Uni<jakarta.ws.rs.core.Response> createSecret(SecretRequest body) {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.EDITOR);
    SecretRequest request = io.linkflow.common.error.ProblemException.requireBody(body);
    if (request.workflowId() == null || request.nodeId() == null || request.nodeId().isBlank()) {
      throw new io.linkflow.common.error.ProblemException(
          400, "workflowId and nodeId name the webhook the secret is for.");
    }
    return secrets
        .create(workspace, request.workflowId(), request.nodeId())
        .map(created -> jakarta.ws.rs.core.Response.status(201).entity(created).build());
  }

  @GET
  @Operation(summary = "List the webhooks the workspace's active workflows listen on")
  @APIResponse(responseCode = "200", description = "{items: [{method, path, url, workflowId, …}]}")
  @APIResponse(responseCode = "401", description = "No valid token")
  public Uni<WebhookList> list() {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.VIEWER);
    return pool.withConnection(c -> webhooks.list(c, workspace))
        .map(
            all ->
                new WebhookList(
                    all.stream()
                        .map(
                            h ->
                                new WebhookView(
                                    h.method(),
                                    h.path(),
                                    "/webhook/" + h.workspaceId() + "/" + h.path(),
                                    h.workflowId(),
                                    h.versionId(),
                                    h.nodeId(),
                                    h.responseMode(),
                                    h.responseCode(),
                                    h.auth(),
                                    h.signature(),
                                    h.rateLimitPerMinute(),
                                    h.registeredAt()))
                        .toList()));
  }
}
