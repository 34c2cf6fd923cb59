package io.linkflow.execution.rest;

import io.linkflow.common.error.Problem;
import io.linkflow.common.error.ProblemException;
import io.linkflow.common.http.QueryParams;
import io.linkflow.common.paging.Cursor;
import io.linkflow.common.paging.Page;
import io.linkflow.common.paging.PageRequest;
import io.linkflow.common.tenancy.TenantContext;
import io.linkflow.execution.Executions;
import io.linkflow.execution.store.ExecutionRepository;
import io.linkflow.execution.store.ExecutionRow;
import io.linkflow.security.Roles;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Executions of the caller's workspace: anyone in it reads them; editors and above cancel, retry
 * and delete.
 */
@Path("/api/v1/executions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "executions", description = "Execution history, node runs, cancel, retry, delete")
public class ExecutionResource {

  static final Set<String> STATUSES =
      Set.of("created", "running", "waiting", "succeeded", "failed", "cancelled", "timed_out");

  private final Executions executions;
  private final ExecutionRepository repository;
  private final Pool pool;
  private final TenantContext tenant;

  public ExecutionResource(
      Executions executions, ExecutionRepository repository, Pool pool, TenantContext tenant) {
    this.executions = executions;
    this.repository = repository;
    this.pool = pool;
    this.tenant = tenant;
  }

  @GET
  @PermissionsAllowed("executions:read")
  @Operation(
      summary =
          "List executions, newest first; filter by workflow, status (repeat or comma-separate)"
              + " and creation time [from, to)")
  @APIResponse(responseCode = "200", description = "{items, nextCursor}")
  @APIResponse(
      responseCode = "400",
      description = "Bad workflowId, status, from, to, limit or cursor")
  @APIResponse(responseCode = "401", description = "No valid token")
  public Uni<Page<ExecutionView>> list(
      @QueryParam("workflowId") String workflowId,
      @QueryParam("status") List<String> status,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor) {
    UUID workspace = tenant.requireWorkspace();
    List<Problem.FieldError> errors = new ArrayList<>();
    UUID workflow = QueryParams.uuid(workflowId, "workflowId", errors);
    List<String> statuses = new ArrayList<>();
    if (status != null) {
      for (String s : status) {
        for (String one : s.split(",")) {
          if (!one.isBlank()) {
            statuses.add(one.trim());
          }
        }
      }
    }
    if (!STATUSES.containsAll(statuses)) {
      errors.add(new Problem.FieldError("status", "one or more of " + String.join(", ", sorted())));
    }
    Instant fromTime = QueryParams.instant(from, "from", errors);
    Instant toTime = QueryParams.instant(to, "to", errors);
    if (!errors.isEmpty()) {
      throw new ProblemException(Problem.of(400, "Some filters are not valid.").withErrors(errors));
    }
    PageRequest page = PageRequest.of(limit, cursor);
    ExecutionRepository.Filter filter =
        new ExecutionRepository.Filter(workflow, statuses, fromTime, toTime);
    return pool.withConnection(c -> repository.list(c, workspace, filter, page))
        .map(
            rows ->
                Page.of(
                    rows,
                    page,
                    (ExecutionRow r) -> new Cursor(r.createdAt().toString(), r.id().toString())))
        .map(
            p ->
                new Page<>(
                    p.items().stream().map(ExecutionView::summary).toList(), p.nextCursor()));
  }

  @GET
  @Path("/{id}")
  @PermissionsAllowed("executions:read")
  @Operation(summary = "One execution with its input and every node run (input, output, error)")
  @APIResponse(responseCode = "200", description = "The execution")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "404", description = "No such execution in this workspace")
  public Uni<ExecutionView> get(@PathParam("id") String id) {
    UUID workspace = tenant.requireWorkspace();
    UUID execution = executionId(id);
    return pool.withConnection(
        c ->
            repository
                .get(c, workspace, execution)
                .flatMap(
                    found -> {
                      ExecutionRow row = found.orElseThrow(ExecutionResource::notFound);
                      return repository
                          .nodeRuns(c, execution)
                          .map(runs -> ExecutionView.of(row, runs, true));
                    }));
  }

  @POST
  @Path("/{id}/cancel")
  @PermissionsAllowed("executions:write")
  @Operation(
      summary =
          "Cancel a queued, running or waiting execution: nothing more is dispatched, running nodes"
              + " are told to stop, sub-workflows are cancelled")
  @APIResponse(responseCode = "200", description = "The execution, now cancelled")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "Below editor, or no executions:write")
  @APIResponse(responseCode = "404", description = "No such execution in this workspace")
  @APIResponse(responseCode = "409", description = "The execution already finished")
  public Uni<ExecutionView> cancel(@PathParam("id") String id) {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.EDITOR);
    UUID execution = executionId(id);
    return executions
        .cancel(workspace, execution)
        .map(found -> ExecutionView.summary(found.orElseThrow(ExecutionResource::notFound)))
        .onFailure(Executions.Conflict.class)
        .transform(e -> new ProblemException(409, e.getMessage()));
  }

  @POST
  @Path("/{id}/retry")
  @PermissionsAllowed("executions:write")
  @Operation(
      summary =
          "Run a failed, timed-out or cancelled execution again from where it stopped (the failed"
              + " node, with the same input), as a new execution")
  @APIResponse(
      responseCode = "202",
      description = "The new execution (retryOf = this one); Location")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "Below editor, or no executions:write")
  @APIResponse(responseCode = "404", description = "No such execution in this workspace")
  @APIResponse(
      responseCode = "409",
      description = "Not failed/timed out/cancelled, or no data was kept to retry from")
  public Uni<Response> retry(@PathParam("id") String id) {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.EDITOR);
    UUID execution = executionId(id);
    return executions
        .retry(workspace, execution)
        .map(
            row ->
                Response.accepted(ExecutionView.summary(row))
                    .location(URI.create("/api/v1/executions/" + row.id()))
                    .build())
        .onFailure(Executions.Conflict.class)
        .transform(e -> new ProblemException(409, e.getMessage()))
        .onFailure(Executions.NotFound.class)
        .transform(e -> notFound());
  }

  @DELETE
  @Path("/{id}")
  @PermissionsAllowed("executions:write")
  @Operation(summary = "Delete a finished execution and its node runs")
  @APIResponse(responseCode = "204", description = "Deleted")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "Below editor, or no executions:write")
  @APIResponse(responseCode = "404", description = "No such execution in this workspace")
  @APIResponse(responseCode = "409", description = "Still running: cancel it first")
  public Uni<Response> delete(@PathParam("id") String id) {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.EDITOR);
    UUID execution = executionId(id);
    return executions
        .delete(workspace, execution)
        .map(
            deleted -> {
              if (!deleted) {
                throw notFound();
              }
              return Response.noContent().build();
            })
        .onFailure(Executions.Conflict.class)
        .transform(e -> new ProblemException(409, e.getMessage()));
  }

  private static List<String> sorted() {
    return STATUSES.stream().sorted().toList();
  }

  private static UUID executionId(String value) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw notFound();
    }
  }

  private static ProblemException notFound() {
    return new ProblemException(404, "No such execution in this workspace.");
  }
}
