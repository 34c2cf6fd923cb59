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

  /** Which workflow's test URLs to open. */
  public record TestRequest(UUID workflowId) {}

  /** One test URL now listening. */
  public record TestUrl(String method, String path, String url, String nodeId) {}

  /**
   * The test URLs of a workflow's latest saved version, each listening for one call until {@code
   * listeningUntil}.
   */
  public record TestListening(
      UUID workflowId, UUID versionId, Instant listeningUntil, List<TestUrl> webhooks) {}

  /** Which webhook a signing secret is for. */
  public record SecretRequest(UUID workflowId, String nodeId) {}

  private final Pool pool;
  private final WebhookRepository webhooks;
  private final TenantContext tenant;
  private final SigningSecrets secrets;
  private final TestListeners testListeners;
  private final WorkflowReader workflows;
  private final RegistrationConsumer registrations;

  public WebhookResource(
      Pool pool,
      WebhookRepository webhooks,
      TenantContext tenant,
      SigningSecrets secrets,
      TestListeners testListeners,
      WorkflowReader workflows,
      RegistrationConsumer registrations) {
    this.pool = pool;
    this.webhooks = webhooks;
    this.tenant = tenant;
    this.secrets = secrets;
    this.testListeners = testListeners;
    this.workflows = workflows;
    this.registrations = registrations;
  }

  @jakarta.ws.rs.POST
  @Path("test")
  @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary =
          "Listen for a test event: the Webhook triggers of the workflow's latest saved version"
              + " (active or not) listen on /webhook-test/{workspaceId}/{path} for one call each,"
              + " for 120 s; those executions run that version with mode test")
  @APIResponse(
      responseCode = "200",
      description =
          "{workflowId, versionId, listeningUntil, webhooks: [{method, path, url, nodeId}]}")
  @APIResponse(responseCode = "400", description = "workflowId missing")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "Below editor")
  @APIResponse(responseCode = "404", description = "No such workflow in this workspace")
  @APIResponse(responseCode = "422", description = "The workflow has no enabled Webhook trigger")
  @APIResponse(responseCode = "503", description = "workflow-service unreachable; try again")
  public Uni<TestListening> listenForTest(
      TestRequest body,
      @jakarta.ws.rs.HeaderParam("Authorization") String authorization,
      @jakarta.ws.rs.HeaderParam("X-API-Key") String apiKey) {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.EDITOR);
    TestRequest request = io.linkflow.common.error.ProblemException.requireBody(body);
    if (request.workflowId() == null) {
      throw new io.linkflow.common.error.ProblemException(
          400, "workflowId names the workflow to listen for a test event for.");
    }
    return workflows
        .read(request.workflowId(), authorization, apiKey)
        .flatMap(
            workflow -> {
              List<Webhook> hooks = registrations.webhooksOf(workspace, latestVersion(workflow));
              if (hooks.isEmpty()) {
                throw new io.linkflow.common.error.ProblemException(
                    422,
                    "The workflow has no enabled Webhook trigger to listen with; add one and save.");
              }
              return testListeners
                  .listen(hooks)
                  .map(
                      until ->
                          new TestListening(
                              request.workflowId(),
                              hooks.get(0).versionId(),
                              until,
                              hooks.stream()
                                  .map(
                                      h ->
                                          new TestUrl(
                                              h.method(),
                                              h.path(),
                                              "/webhook-test/" + workspace + "/" + h.path(),
                                              h.nodeId()))
                                  .toList()));
            });
  }

  /** The latest saved version of a workflow, as the trigger services see an activated one. */
  private static io.linkflow.events.payload.WorkflowActivatedV1 latestVersion(
      com.fasterxml.jackson.databind.JsonNode workflow) {
    List<io.linkflow.events.payload.WorkflowActivatedV1.Trigger> triggers =
        new java.util.ArrayList<>();
    for (com.fasterxml.jackson.databind.JsonNode node : workflow.path("nodes")) {
      if (node.path("disabled").asBoolean(false)) {
        continue;
      }
      triggers.add(
          new io.linkflow.events.payload.WorkflowActivatedV1.Trigger(
              node.path("id").asText(),
              node.path("type").asText(),
              node.has("parameters") ? node.path("parameters").toString() : "{}",
              node.has("credentials") ? node.path("credentials").toString() : null));
    }
    return new io.linkflow.events.payload.WorkflowActivatedV1(
        UUID.fromString(workflow.path("id").asText()),
        UUID.fromString(workflow.path("versionId").asText()),
        triggers);
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
