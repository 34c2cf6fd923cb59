package io.linkflow.schedule.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.common.error.Problem;
import io.linkflow.common.error.ProblemException;
import io.linkflow.common.http.QueryParams;
import io.linkflow.common.paging.Page;
import io.linkflow.common.paging.PageRequest;
import io.linkflow.common.tenancy.TenantContext;
import io.linkflow.nodes.timing.InvalidTimingException;
import io.linkflow.schedule.store.Schedule;
import io.linkflow.security.Roles;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Schedules of the caller's workspace. Anyone in the workspace reads them and previews timings;
 * editors and above create, change and delete API schedules. Schedules kept from a workflow's
 * Schedule Trigger are changed in the workflow (409 here). API keys need the {@code schedules}
 * scope.
 */
@Path("/api/v1/schedules")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "schedules", description = "Cron and interval schedules that run workflows")
public class ScheduleResource {

  private final ScheduleService schedules;
  private final TenantContext tenant;

  public ScheduleResource(ScheduleService schedules, TenantContext tenant) {
    this.schedules = schedules;
    this.tenant = tenant;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @PermissionsAllowed("schedules:write")
  @Operation(
      summary =
          "Create an API schedule: {name, workflowId, cron | intervalSeconds, timezone,"
              + " missedFirePolicy, enabled}")
  @APIResponse(responseCode = "201", description = "The schedule; Location names it")
  @APIResponse(responseCode = "400", description = "No JSON object body")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(
      responseCode = "403",
      description = "Below editor, or the token lacks schedules:write")
  @APIResponse(
      responseCode = "422",
      description =
          "Invalid schedule: errors[] with pointer and message (missing name or workflowId, both or"
              + " neither of cron and intervalSeconds, bad cron, interval out of range, unknown"
              + " timezone or missedFirePolicy, unknown fields)")
  public Uni<Response> create(ObjectNode body) {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.EDITOR);
    ObjectNode input = ProblemException.requireBody(body);
    return schedules
        .create(workspace, input)
        .map(
            created ->
                Response.created(URI.create("/api/v1/schedules/" + created.id()))
                    .entity(ScheduleView.of(created))
                    .build());
  }

  @GET
  @PermissionsAllowed("schedules:read")
  @Operation(
      summary = "List the workspace's schedules in creation order; filter by workflow and source")
  @APIResponse(responseCode = "200", description = "{items, nextCursor}")
  @APIResponse(responseCode = "400", description = "Bad workflowId, source, limit or cursor")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "The token lacks schedules:read")
  public Uni<Page<ScheduleView>> list(
      @Parameter(description = "Only the schedules of this workflow") @QueryParam("workflowId")
          String workflowId,
      @Parameter(description = "workflow or api") @QueryParam("source") String source,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor) {
    UUID workspace = tenant.requireWorkspace();
    List<Problem.FieldError> errors = new ArrayList<>();
    UUID workflow = QueryParams.uuid(workflowId, "workflowId", errors);
    String from = source == null || source.isBlank() ? null : source.strip();
    if (from != null && !Schedule.WORKFLOW.equals(from) && !Schedule.API.equals(from)) {
      errors.add(new Problem.FieldError("source", "workflow or api"));
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(Problem.of(400, "Some filters are not valid.").withErrors(errors));
    }
    return schedules
        .list(workspace, workflow, from, PageRequest.of(limit, cursor))
        .map(
            page ->
                new Page<>(
                    page.items().stream().map(ScheduleView::of).toList(), page.nextCursor()));
  }

  @GET
  @Path("/preview")
  @PermissionsAllowed("schedules:read")
  @Operation(
      summary =
          "The next fire times of a cron expression or interval in a time zone, without saving"
              + " anything")
  @APIResponse(
      responseCode = "200",
      description = "{cron, intervalSeconds, timezone, runs: [{at, local}]}")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "The token lacks schedules:read")
  @APIResponse(
      responseCode = "422",
      description =
          "errors[]: both or neither of cron and intervalSeconds, bad cron, interval out of range,"
              + " unknown timezone, count not 1-100")
  public NextRuns preview(
      @Parameter(description = "5 fields, or 6 with seconds first") @QueryParam("cron") String cron,
      @Parameter(description = "1 to 31536000") @QueryParam("intervalSeconds")
          String intervalSeconds,
      @Parameter(description = "IANA zone, default UTC") @QueryParam("timezone") String timezone,
      @Parameter(description = "1 to 100, default 5") @QueryParam("count") String count) {
    tenant.requireWorkspace();
    List<Problem.FieldError> errors = new ArrayList<>();
    String expression = cron == null || cron.isBlank() ? null : cron;
    Integer interval = null;
    if (intervalSeconds != null && !intervalSeconds.isBlank()) {
      try {
        interval = Integer.valueOf(intervalSeconds.strip());
      } catch (NumberFormatException e) {
        errors.add(
            new Problem.FieldError("intervalSeconds", "must be an integer between 1 and 31536000"));
      }
    }
    int runs = count(count, errors);
    ScheduleInput.timingErrors(
        expression, interval, timezone == null || timezone.isBlank() ? null : timezone, "", errors);
    if (!errors.isEmpty()) {
      throw new ProblemException(
          Problem.of(422, "The timing cannot be previewed; see errors.").withErrors(errors));
    }
    try {
      return ScheduleService.preview(
          expression, interval, timezone == null || timezone.isBlank() ? null : timezone, runs);
    } catch (InvalidTimingException e) {
      throw new ProblemException(
          Problem.of(422, "The timing cannot be previewed; see errors.")
              .withErrors(List.of(new Problem.FieldError(e.field(), e.getMessage()))));
    }
  }

  @GET
  @Path("/{id}")
  @PermissionsAllowed("schedules:read")
  @Operation(summary = "One schedule")
  @APIResponse(responseCode = "200", description = "The schedule")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "The token lacks schedules:read")
  @APIResponse(responseCode = "404", description = "No such schedule in this workspace")
  public Uni<ScheduleView> get(@PathParam("id") String id) {
    return schedules.get(tenant.requireWorkspace(), id(id)).map(ScheduleView::of);
  }

  @GET
  @Path("/{id}/next-runs")
  @PermissionsAllowed("schedules:read")
  @Operation(summary = "The next fire times of a schedule (count 1-100, default 5)")
  @APIResponse(
      responseCode = "200",
      description = "{scheduleId, cron, intervalSeconds, timezone, runs: [{at, local}]}")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "The token lacks schedules:read")
  @APIResponse(responseCode = "404", description = "No such schedule in this workspace")
  @APIResponse(responseCode = "422", description = "count not 1-100")
  public Uni<NextRuns> nextRuns(
      @PathParam("id") String id,
      @Parameter(description = "1 to 100, default 5") @QueryParam("count") String count) {
    UUID workspace = tenant.requireWorkspace();
    List<Problem.FieldError> errors = new ArrayList<>();
    int runs = count(count, errors);
    if (!errors.isEmpty()) {
      throw new ProblemException(
          Problem.of(422, "The next runs cannot be listed; see errors.").withErrors(errors));
    }
    return schedules.nextRuns(workspace, id(id), runs);
  }

  @PUT
  @Path("/{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  @PermissionsAllowed("schedules:write")
  @Operation(
      summary =
          "Replace an API schedule (every field; absent optional ones take their defaults);"
              + " a new timing recomputes the next fire time")
  @APIResponse(responseCode = "200", description = "The schedule")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(
      responseCode = "403",
      description = "Below editor, or the token lacks schedules:write")
  @APIResponse(responseCode = "404", description = "No such schedule in this workspace")
  @APIResponse(
      responseCode = "409",
      description = "A workflow's schedule: change its Schedule Trigger in the workflow")
  @APIResponse(responseCode = "422", description = "Invalid schedule: errors[]")
  public Uni<ScheduleView> replace(@PathParam("id") String id, ObjectNode body) {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.EDITOR);
    ObjectNode input = ProblemException.requireBody(body);
    return schedules.replace(workspace, id(id), input).map(ScheduleView::of);
  }

  @PATCH
  @Path("/{id}")
  @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
  @PermissionsAllowed("schedules:write")
  @Operation(
      summary =
          "Change some fields of an API schedule (JSON merge patch; setting cron clears"
              + " intervalSeconds and the other way round); a new timing or enabling recomputes"
              + " the next fire time")
  @APIResponse(responseCode = "200", description = "The schedule")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(
      responseCode = "403",
      description = "Below editor, or the token lacks schedules:write")
  @APIResponse(responseCode = "404", description = "No such schedule in this workspace")
  @APIResponse(
      responseCode = "409",
      description = "A workflow's schedule: change its Schedule Trigger in the workflow")
  @APIResponse(responseCode = "422", description = "Invalid schedule: errors[]")
  public Uni<ScheduleView> patch(@PathParam("id") String id, ObjectNode body) {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.EDITOR);
    ObjectNode patch = ProblemException.requireBody(body);
    return schedules.patch(workspace, id(id), patch).map(ScheduleView::of);
  }

  @DELETE
  @Path("/{id}")
  @PermissionsAllowed("schedules:write")
  @Operation(summary = "Delete an API schedule")
  @APIResponse(responseCode = "204", description = "Deleted")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(
      responseCode = "403",
      description = "Below editor, or the token lacks schedules:write")
  @APIResponse(responseCode = "404", description = "No such schedule in this workspace")
  @APIResponse(
      responseCode = "409",
      description = "A workflow's schedule: deactivate the workflow or remove its trigger")
  public Uni<Response> delete(@PathParam("id") String id) {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.EDITOR);
    return schedules.delete(workspace, id(id)).map(ignored -> Response.noContent().build());
  }

  /** A path id; anything but a UUID names no schedule (404). */
  private static UUID id(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ScheduleService.notFound();
    }
  }

  private static int count(String count, List<Problem.FieldError> errors) {
    if (count == null || count.isBlank()) {
      return 5;
    }
    try {
      int n = Integer.parseInt(count.strip());
      if (n >= 1 && n <= ScheduleService.MAX_COUNT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add(
        new Problem.FieldError("count", "an integer from 1 to " + ScheduleService.MAX_COUNT));
    return 5;
  }
}
