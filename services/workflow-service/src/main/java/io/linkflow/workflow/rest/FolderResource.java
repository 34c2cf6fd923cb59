package io.linkflow.workflow.rest;

import io.linkflow.common.db.PgErrors;
import io.linkflow.common.error.Problem;
import io.linkflow.common.error.ProblemException;
import io.linkflow.common.tenancy.TenantContext;
import io.linkflow.security.Roles;
import io.linkflow.workflow.model.Folder;
import io.linkflow.workflow.store.WorkflowRepository;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Folders that group the workspace's workflows (a workflow is in at most one). */
@Path("/api/v1/workflows/folders")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "workflows")
public class FolderResource {

  /** Create and rename body. */
  public record FolderRequest(String name) {}

  static final int MAX_NAME = 100;

  private final Pool pool;
  private final WorkflowRepository repository;
  private final TenantContext tenant;

  public FolderResource(Pool pool, WorkflowRepository repository, TenantContext tenant) {
    this.pool = pool;
    this.repository = repository;
    this.tenant = tenant;
  }

  @GET
  @PermissionsAllowed("workflows:read")
  @Operation(summary = "The workspace's folders by name")
  @APIResponse(responseCode = "200", description = "[{id, name, createdBy, createdAt}]")
  public Uni<List<Folder>> list() {
    UUID workspace = tenant.requireWorkspace();
    return pool.withConnection(c -> repository.folders(c, workspace));
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @PermissionsAllowed("workflows:write")
  @Operation(summary = "Create a folder")
  @APIResponse(responseCode = "201", description = "The folder")
  @APIResponse(responseCode = "400", description = "Missing or long name")
  @APIResponse(responseCode = "409", description = "A folder has this name")
  public Uni<Response> create(FolderRequest body) {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.EDITOR);
    String name = name(ProblemException.requireBody(body));
    UUID id = UUID.randomUUID();
    return pool.withTransaction(
            tx ->
                repository
                    .insertFolder(tx, workspace, id, name, tenant.principal().orElseThrow())
                    .flatMap(ignored -> repository.folder(tx, workspace, id)))
        .onFailure(PgErrors::uniqueViolation)
        .transform(e -> taken(name))
        .map(
            folder ->
                Response.created(URI.create("/api/v1/workflows/folders/" + id))
                    .entity(folder.orElseThrow())
                    .build());
  }

  @PATCH
  @Path("/{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  @PermissionsAllowed("workflows:write")
  @Operation(summary = "Rename a folder")
  @APIResponse(responseCode = "200", description = "The folder")
  @APIResponse(responseCode = "404", description = "No such folder")
  @APIResponse(responseCode = "409", description = "A folder has this name")
  public Uni<Folder> rename(@PathParam("id") UUID id, FolderRequest body) {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.EDITOR);
    String name = name(ProblemException.requireBody(body));
    return pool.withTransaction(
            tx ->
                repository
                    .renameFolder(tx, workspace, id, name)
                    .flatMap(
                        count -> {
                          if (count == 0) {
                            throw notFound();
                          }
                          return repository.folder(tx, workspace, id);
                        }))
        .onFailure(PgErrors::uniqueViolation)
        .transform(e -> taken(name))
        .map(found -> found.orElseThrow());
  }

  @DELETE
  @Path("/{id}")
  @PermissionsAllowed("workflows:write")
  @Operation(summary = "Delete an empty folder")
  @APIResponse(responseCode = "204", description = "Deleted")
  @APIResponse(responseCode = "404", description = "No such folder")
  @APIResponse(responseCode = "409", description = "Workflows are still in it")
  public Uni<Response> delete(@PathParam("id") UUID id) {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.EDITOR);
    return pool.withTransaction(
        tx ->
            repository
                .workflowsIn(tx, workspace, id)
                .flatMap(
                    count -> {
                      if (count > 0) {
                        throw new ProblemException(
                            409,
                            "The folder holds "
                                + count
                                + " workflow(s); move or delete them first.");
                      }
                      return repository.deleteFolder(tx, workspace, id);
                    })
                .map(
                    deleted -> {
                      if (deleted == 0) {
                        throw notFound();
                      }
                      return Response.noContent().build();
                    }));
  }

  private static String name(FolderRequest body) {
    String name = body.name() == null ? "" : body.name().trim();
    if (name.isEmpty() || name.length() > MAX_NAME) {
      throw new ProblemException(
          Problem.of(400, "A folder needs a name of 1–" + MAX_NAME + " characters.")
              .withErrors(
                  List.of(new Problem.FieldError("/name", "1–" + MAX_NAME + " characters"))));
    }
    return name;
  }

  private static ProblemException taken(String name) {
    return new ProblemException(
        Problem.of(409, "A folder named " + name + " already exists.")
            .withErrors(List.of(new Problem.FieldError("/name", "already used"))));
  }

  private static ProblemException notFound() {
    return new ProblemException(404, "No such folder in this workspace.");
  }
}
