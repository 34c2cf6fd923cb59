package io.linkflow.workflow.rest;

import io.linkflow.common.error.Problem;
import io.linkflow.common.error.ProblemException;
import io.linkflow.security.Scopes;
import io.linkflow.workflow.model.Version;
import io.linkflow.workflow.store.WorkflowRepository;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Workflow versions for the services that run them (execution-service): only service tokens with
 * the internal scope {@code workflow-versions:read}, never routed by the edge. A version never
 * changes, so callers may cache it for good. Service tokens carry no workspace: the caller names
 * the one the execution belongs to, and a version of another workspace is 404.
 */
@Path("/internal/v1/workflow-versions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "internal", description = "Service-to-service; not routed by the edge")
public class InternalVersionResource {

  private final Pool pool;
  private final WorkflowRepository workflows;

  public InternalVersionResource(Pool pool, WorkflowRepository workflows) {
    this.pool = pool;
    this.workflows = workflows;
  }

  @GET
  @PermissionsAllowed(Scopes.WORKFLOW_VERSIONS_READ)
  @Operation(
      summary =
          "The version a workflow runs now (the active one, else the latest), by workflow id: what"
              + " sub-workflows and error workflows start with")
  @APIResponse(responseCode = "200", description = "The version; not cacheable")
  @APIResponse(
      responseCode = "400",
      description = "workspaceId or workflowId missing or not a UUID")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(
      responseCode = "403",
      description = "Not a service token with workflow-versions:read")
  @APIResponse(
      responseCode = "404",
      description = "No such workflow (or deleted) in that workspace")
  public Uni<Response> current(
      @QueryParam("workflowId") String workflowId, @QueryParam("workspaceId") String workspaceId) {
    UUID workspace = uuid(workspaceId, "workspaceId", "Name the workspace of the execution");
    UUID workflow = uuid(workflowId, "workflowId", "Name the workflow to run");
    CacheControl never = new CacheControl();
    never.setNoStore(true);
    return pool.withConnection(
            c ->
                workflows
                    .find(c, workspace, workflow, false)
                    .flatMap(
                        found -> {
                          if (found.isEmpty()) {
                            return Uni.createFrom().item(java.util.Optional.<Version>empty());
                          }
                          var row = found.get();
                          UUID runs =
                              row.activeVersionId() != null
                                  ? row.activeVersionId()
                                  : row.versionId();
                          return workflows.versionById(c, workspace, runs);
                        }))
        .map(
            found -> {
              Version version =
                  found.orElseThrow(
                      () -> new ProblemException(404, "No such workflow in that workspace."));
              return Response.ok(version).cacheControl(never).build();
            });
  }

  private static UUID uuid(String value, String name, String detail) {
    try {
      return UUID.fromString(String.valueOf(value));
    } catch (IllegalArgumentException e) {
      throw new ProblemException(
          Problem.of(400, detail + ": ?" + name + "=<uuid>.")
              .withErrors(List.of(new Problem.FieldError(name, "a UUID"))));
    }
  }

  @GET
  @Path("/{versionId}")
  @PermissionsAllowed(Scopes.WORKFLOW_VERSIONS_READ)
  @Operation(summary = "One immutable version with its graph and settings, by id")
  @APIResponse(responseCode = "200", description = "The version; cacheable for good")
  @APIResponse(responseCode = "400", description = "workspaceId missing or not a UUID")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(
      responseCode = "403",
      description = "Not a service token with workflow-versions:read")
  @APIResponse(responseCode = "404", description = "No such version in that workspace")
  public Uni<Response> version(
      @PathParam("versionId") String versionId, @QueryParam("workspaceId") String workspaceId) {
    UUID workspace = uuid(workspaceId, "workspaceId", "Name the workspace of the execution");
    UUID id = WorkflowResource.uuidOrNotFound(versionId, "No such version in that workspace.");
    CacheControl forever = new CacheControl();
    forever.setPrivate(true);
    forever.setMaxAge(31_536_000);
    return pool.withConnection(c -> workflows.versionById(c, workspace, id))
        .map(
            found -> {
              Version version =
                  found.orElseThrow(
                      () -> new ProblemException(404, "No such version in that workspace."));
              return Response.ok(version).cacheControl(forever).build();
            });
  }
}
