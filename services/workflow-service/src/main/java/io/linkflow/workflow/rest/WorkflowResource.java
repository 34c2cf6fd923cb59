package io.linkflow.workflow.rest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.common.error.Problem;
import io.linkflow.common.error.ProblemException;
import io.linkflow.common.paging.Page;
import io.linkflow.common.paging.PageRequest;
import io.linkflow.common.tenancy.TenantContext;
import io.linkflow.security.Roles;
import io.linkflow.workflow.WorkflowService;
import io.linkflow.workflow.model.Connection;
import io.linkflow.workflow.model.Execution;
import io.linkflow.workflow.model.Node;
import io.linkflow.workflow.model.Settings;
import io.linkflow.workflow.model.Version;
import io.linkflow.workflow.model.WorkflowInput;
import io.linkflow.workflow.model.WorkflowSummary;
import io.linkflow.workflow.store.WorkflowRepository;
import io.linkflow.workflow.store.WorkflowRow;
import io.linkflow.workflow.validation.WorkflowValidator;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Workflows of the caller's workspace. Anyone in the workspace reads them; editors and above
 * change, activate and execute them. Writes answer the new {@code ETag}; send it back as {@code
 * If-Match} to be refused (412) instead of overwriting someone else's change.
 */
@Path("/api/v1/workflows")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "workflows", description = "Workflow definitions, versions, activation, execution")
public class WorkflowResource {

  static final String EXPORT_FORMAT = "linkflowExport";

  private final WorkflowService workflows;
  private final WorkflowRepository repository;
  private final Pool pool;
  private final TenantContext tenant;
  private final ObjectMapper mapper;

  public WorkflowResource(
      WorkflowService workflows,
      WorkflowRepository repository,
      Pool pool,
      TenantContext tenant,
      ObjectMapper mapper) {
    this.workflows = workflows;
    this.repository = repository;
    this.pool = pool;
    this.tenant = tenant;
    this.mapper = mapper;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @PermissionsAllowed("workflows:write")
  @Operation(summary = "Create a workflow (version 1), validated against the node registry")
  @APIResponse(responseCode = "201", description = "Created; Location and ETag")
  @APIResponse(responseCode = "400", description = "Malformed JSON")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "Below editor, or no workflows:write")
  @APIResponse(
      responseCode = "422",
      description = "Invalid workflow: errors[] with pointer, message and nodeId for each problem")
  public Uni<Response> create(WorkflowInput body) {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.EDITOR);
    WorkflowInput input = ProblemException.requireBody(body);
    return workflows
        .create(workspace, actor(), input)
        .map(created -> withEtag(Response.created(location(created)), created));
  }

  @POST
  @Path("/import")
  @Consumes(MediaType.APPLICATION_JSON)
  @PermissionsAllowed("workflows:write")
  @Operation(summary = "Create a workflow from a document of GET /{id}/export")
  @APIResponse(responseCode = "201", description = "Created; Location and ETag")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "Below editor, or no workflows:write")
  @APIResponse(responseCode = "422", description = "Not an export document, or invalid")
  public Uni<Response> importWorkflow(WorkflowInput body) {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.EDITOR);
    WorkflowInput input = ProblemException.requireBody(body);
    if (input.linkflowExport() == null || input.linkflowExport() != 1) {
      throw new ProblemException(
          Problem.of(422, "Not a LinkFlow workflow export (linkflowExport: 1).")
              .withErrors(List.of(new Problem.FieldError("/" + EXPORT_FORMAT, "must be 1"))));
    }
    return workflows
        .create(workspace, actor(), input)
        .map(created -> withEtag(Response.created(location(created)), created));
  }

  @GET
  @PermissionsAllowed("workflows:read")
  @Operation(summary = "List workflows by name; filter by text, tags, folder, active")
  @APIResponse(responseCode = "200", description = "{items, nextCursor}")
  @APIResponse(responseCode = "400", description = "Bad limit, cursor or folderId")
  @APIResponse(responseCode = "401", description = "No valid token")
  public Uni<Page<WorkflowSummary>> list(
      @QueryParam("q") String query,
      @QueryParam("tag") List<String> tags,
      @QueryParam("folderId") String folderId,
      @QueryParam("active") Boolean active,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor) {
    UUID workspace = tenant.requireWorkspace();
    UUID folder = folderId == null || folderId.isBlank() ? null : folderId(folderId);
    return workflows
        .list(
            workspace,
            query == null || query.isBlank() ? null : query.trim(),
            tags == null ? List.of() : tags.stream().filter(t -> !t.isBlank()).toList(),
            folder,
            active,
            PageRequest.of(limit, cursor))
        .map(
            page ->
                new Page<>(
                    page.items().stream().map(WorkflowRow::toSummary).toList(), page.nextCursor()));
  }

  @GET
  @Path("/tags")
  @PermissionsAllowed("workflows:read")
  @Operation(summary = "The tags in use, with how many workflows carry each")
  @APIResponse(responseCode = "200", description = "[{name, workflows}]")
  public Uni<List<WorkflowRepository.TagCount>> tags() {
    UUID workspace = tenant.requireWorkspace();
    return pool.withConnection(c -> repository.tags(c, workspace));
  }

  @GET
  @Path("/{id}")
  @PermissionsAllowed("workflows:read")
  @Operation(summary = "One workflow with its graph and settings; ETag header")
  @APIResponse(responseCode = "200", description = "The workflow")
  @APIResponse(responseCode = "404", description = "No such workflow in this workspace")
  public Uni<Response> get(@PathParam("id") String id) {
    return workflows
        .get(tenant.requireWorkspace(), workflowId(id))
        .map(found -> withEtag(Response.ok(), found));
  }

  @PUT
  @Path("/{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  @PermissionsAllowed("workflows:write")
  @Operation(summary = "Replace the workflow: a new version (honours If-Match)")
  @APIResponse(responseCode = "200", description = "The workflow at its new version; ETag")
  @APIResponse(responseCode = "404", description = "No such workflow in this workspace")
  @APIResponse(responseCode = "412", description = "If-Match does not match the current ETag")
  @APIResponse(responseCode = "422", description = "Invalid workflow: errors[]")
  public Uni<Response> replace(
      @PathParam("id") String id,
      @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
      WorkflowInput body) {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.EDITOR);
    WorkflowInput input = ProblemException.requireBody(body);
    return workflows
        .save(workspace, workflowId(id), actor(), ifMatch, current -> input, null)
        .map(saved -> withEtag(Response.ok(), saved));
  }

  @PATCH
  @Path("/{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  @PermissionsAllowed("workflows:write")
  @Operation(
      summary =
          "Change some top-level fields (name, description, folderId, tags, nodes, connections,"
              + " settings): a new version (honours If-Match)")
  @APIResponse(responseCode = "200", description = "The workflow at its new version; ETag")
  @APIResponse(responseCode = "404", description = "No such workflow in this workspace")
  @APIResponse(responseCode = "412", description = "If-Match does not match the current ETag")
  @APIResponse(responseCode = "422", description = "Invalid workflow: errors[]")
  public Uni<Response> patch(
      @PathParam("id") String id,
      @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
      ObjectNode body) {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.EDITOR);
    ObjectNode patch = ProblemException.requireBody(body);
    return workflows
        .save(workspace, workflowId(id), actor(), ifMatch, current -> merge(current, patch), null)
        .map(saved -> withEtag(Response.ok(), saved));
  }

  @DELETE
  @Path("/{id}")
  @PermissionsAllowed("workflows:write")
  @Operation(summary = "Delete a workflow (deactivates it; its versions stay for past executions)")
  @APIResponse(responseCode = "204", description = "Deleted")
  @APIResponse(responseCode = "404", description = "No such workflow in this workspace")
  @APIResponse(responseCode = "412", description = "If-Match does not match the current ETag")
  public Uni<Response> delete(
      @PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.EDITOR);
    return workflows
        .delete(workspace, workflowId(id), actor(), ifMatch)
        .map(ignored -> Response.noContent().build());
  }

  @GET
  @Path("/{id}/export")
  @PermissionsAllowed("workflows:read")
  @Operation(summary = "The workflow as a portable document for POST /import")
  @APIResponse(responseCode = "200", description = "{linkflowExport: 1, name, …, nodes, …}")
  @APIResponse(responseCode = "404", description = "No such workflow in this workspace")
  public Uni<Response> export(@PathParam("id") String id) {
    return workflows
        .get(tenant.requireWorkspace(), workflowId(id))
        .map(
            w ->
                Response.ok(
                        new WorkflowInput(
                            1,
                            w.name(),
                            w.description(),
                            null,
                            w.tags(),
                            w.definition().nodes(),
                            w.definition().connections(),
                            w.definition().settings()))
                    .header(
                        "Content-Disposition",
                        "attachment; filename=\"" + fileName(w.name()) + ".json\"")
                    .build());
  }

  @GET
  @Path("/{id}/versions")
  @PermissionsAllowed("workflows:read")
  @Operation(summary = "The workflow's versions, newest first (without their graphs)")
  @APIResponse(responseCode = "200", description = "{items, nextCursor}")
  @APIResponse(responseCode = "404", description = "No such workflow in this workspace")
  public Uni<Page<Version>> versions(
      @PathParam("id") String id,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor) {
    return workflows.versions(
        tenant.requireWorkspace(), workflowId(id), PageRequest.of(limit, cursor));
  }

  @GET
  @Path("/{id}/versions/{version}")
  @PermissionsAllowed("workflows:read")
  @Operation(summary = "One version with its graph and settings, as it was saved")
  @APIResponse(responseCode = "200", description = "The version")
  @APIResponse(responseCode = "404", description = "No such workflow or version")
  public Uni<Version> version(@PathParam("id") String id, @PathParam("version") int version) {
    return workflows.version(tenant.requireWorkspace(), workflowId(id), version);
  }

  @POST
  @Path("/{id}/versions/{version}/restore")
  @PermissionsAllowed("workflows:write")
  @Operation(summary = "Save a new version that copies an old one (honours If-Match)")
  @APIResponse(responseCode = "200", description = "The workflow at its new version; ETag")
  @APIResponse(responseCode = "404", description = "No such workflow or version")
  @APIResponse(responseCode = "412", description = "If-Match does not match the current ETag")
  @APIResponse(
      responseCode = "422",
      description = "The old version no longer passes validation (e.g. a node type changed)")
  public Uni<Response> restore(
      @PathParam("id") String id,
      @PathParam("version") int version,
      @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.EDITOR);
    return workflows
        .restore(workspace, workflowId(id), version, actor(), ifMatch)
        .map(saved -> withEtag(Response.ok(), saved));
  }

  @POST
  @Path("/{id}/activate")
  @PermissionsAllowed("workflows:write")
  @Operation(summary = "Activate the latest version: its triggers start firing")
  @APIResponse(responseCode = "200", description = "The workflow, active; ETag")
  @APIResponse(responseCode = "404", description = "No such workflow in this workspace")
  @APIResponse(responseCode = "412", description = "If-Match does not match the current ETag")
  @APIResponse(
      responseCode = "422",
      description = "No trigger that can start it, or a webhook path another workflow holds")
  public Uni<Response> activate(
      @PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.EDITOR);
    return workflows
        .activate(workspace, workflowId(id), actor(), ifMatch)
        .map(saved -> withEtag(Response.ok(), saved));
  }

  @POST
  @Path("/{id}/deactivate")
  @PermissionsAllowed("workflows:write")
  @Operation(summary = "Deactivate: its triggers stop firing")
  @APIResponse(responseCode = "200", description = "The workflow, inactive; ETag")
  @APIResponse(responseCode = "404", description = "No such workflow in this workspace")
  @APIResponse(responseCode = "412", description = "If-Match does not match the current ETag")
  public Uni<Response> deactivate(
      @PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.EDITOR);
    return workflows
        .deactivate(workspace, workflowId(id), actor(), ifMatch)
        .map(saved -> withEtag(Response.ok(), saved));
  }

  @POST
  @Path("/{id}/execute")
  @Consumes(MediaType.WILDCARD)
  @PermissionsAllowed("workflows:write")
  @Operation(
      summary =
          "Run the workflow now (its active version, else its latest): 202 with the execution id;"
              + " a repeated Idempotency-Key answers the same id and runs nothing new")
  @APIResponse(responseCode = "202", description = "{executionId, workflowId, versionId, …}")
  @APIResponse(responseCode = "400", description = "Bad input or Idempotency-Key")
  @APIResponse(responseCode = "404", description = "No such workflow in this workspace")
  @APIResponse(responseCode = "413", description = "Input too large")
  @APIResponse(
      responseCode = "422",
      description = "The Idempotency-Key was used for another workflow")
  public Uni<Response> execute(
      @PathParam("id") String id,
      @HeaderParam("Idempotency-Key") String idempotencyKey,
      String body) {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.EDITOR);
    JsonNode input = executeBody(body);
    return workflows
        .execute(workspace, workflowId(id), actor(), idempotencyKey, input)
        .map(
            (Execution accepted) ->
                Response.accepted(accepted)
                    .location(URI.create("/api/v1/executions/" + accepted.executionId()))
                    .build());
  }

  /** The optional execute body: nothing, or a JSON object (whatever Content-Type says). */
  private JsonNode executeBody(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      JsonNode parsed = mapper.readTree(body);
      if (!parsed.isObject()) {
        throw new ProblemException(
            Problem.of(400, "The body is a JSON object: {\"input\": …}, or empty.")
                .withErrors(List.of(new Problem.FieldError("", "a JSON object"))));
      }
      return parsed;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ProblemException(400, "The body is not JSON: " + e.getOriginalMessage());
    }
  }

  private WorkflowInput merge(WorkflowRow current, ObjectNode patch) {
    try {
      return new WorkflowInput(
          null,
          patch.has("name") ? patch.get("name").asText(null) : current.name(),
          patch.has("description") ? text(patch.get("description")) : current.description(),
          patch.has("folderId")
              ? text(patch.get("folderId"))
              : current.folderId() == null ? null : current.folderId().toString(),
          patch.has("tags")
              ? mapper.convertValue(patch.get("tags"), new TypeReference<List<String>>() {})
              : current.tags(),
          patch.has("nodes")
              ? mapper.convertValue(patch.get("nodes"), new TypeReference<List<Node>>() {})
              : current.definition().nodes(),
          patch.has("connections")
              ? mapper.convertValue(
                  patch.get("connections"), new TypeReference<List<Connection>>() {})
              : current.definition().connections(),
          patch.has("settings")
              ? mapper.convertValue(patch.get("settings"), Settings.class)
              : current.definition().settings());
    } catch (IllegalArgumentException e) {
      throw new ProblemException(400, "The change is not well-formed: " + e.getMessage());
    }
  }

  private static String text(JsonNode value) {
    return value == null || value.isNull() ? null : value.asText();
  }

  private static Response withEtag(Response.ResponseBuilder response, WorkflowRow workflow) {
    return response.entity(workflow.toWorkflow()).header(HttpHeaders.ETAG, workflow.etag()).build();
  }

  private static URI location(WorkflowRow workflow) {
    return URI.create("/api/v1/workflows/" + workflow.id());
  }

  /** The workflow id of a path: not a UUID names no workflow (404). */
  private static UUID workflowId(String value) {
    return uuidOrNotFound(value, "No such workflow in this workspace.");
  }

  private static UUID folderId(String value) {
    UUID folder = WorkflowValidator.uuidOrNull(value);
    if (folder == null) {
      throw new ProblemException(
          Problem.of(400, "folderId is not a UUID.")
              .withErrors(List.of(new Problem.FieldError("folderId", "a UUID"))));
    }
    return folder;
  }

  /** A path id: not a UUID means it names nothing (404, like an unknown id). */
  static UUID uuidOrNotFound(String value, String detail) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(404, detail);
    }
  }

  private static String fileName(String name) {
    String slug = name.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    return slug.isEmpty() ? "workflow" : slug;
  }

  private String actor() {
    return tenant.principal().orElseThrow();
  }
}
