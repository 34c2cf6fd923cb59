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
      Integer rateLimitPerMinute,
      Instant registeredAt) {}

  /** The list: every webhook of the workspace (one per active Webhook trigger). */
  public record WebhookList(List<WebhookView> items) {}

  private final Pool pool;
  private final WebhookRepository webhooks;
  private final TenantContext tenant;

  public WebhookResource(Pool pool, WebhookRepository webhooks, TenantContext tenant) {
    this.pool = pool;
    this.webhooks = webhooks;
    this.tenant = tenant;
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
                                    h.rateLimitPerMinute(),
                                    h.registeredAt()))
                        .toList()));
  }
}
