package io.linkflow.execution.housekeeping;

import io.linkflow.common.error.Problem;
import io.linkflow.common.error.ProblemException;
import io.linkflow.common.http.QueryParams;
import io.linkflow.common.paging.Cursor;
import io.linkflow.common.paging.Page;
import io.linkflow.security.Scopes;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The hourly usage rollups for billing and analytics: service tokens with {@code usage:read} (or
 * {@code housekeeping:run}), never routed by the edge.
 */
@Path("/internal/v1/usage")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "internal", description = "Service-to-service; not routed by the edge")
public class UsageResource {

  static final int DEFAULT_LIMIT = 500;
  static final int MAX_LIMIT = 1000;

  private final Pool pool;
  private final HousekeepingRepository repository;

  public UsageResource(Pool pool, HousekeepingRepository repository) {
    this.pool = pool;
    this.repository = repository;
  }

  @GET
  @PermissionsAllowed({Scopes.USAGE_READ, Scopes.HOUSEKEEPING_RUN})
  @Operation(
      summary =
          "Usage per workspace, workflow and hour (executions that reached a terminal state in"
              + " the hour) with from <= hour < to, oldest first; one workspace or all")
  @APIResponse(
      responseCode = "200",
      description =
          "{items: [{workspaceId, workflowId, hour, executions, succeeded, failed, cancelled,"
              + " timedOut, nodeRuns, durationMsTotal}], nextCursor}")
  @APIResponse(
      responseCode = "400",
      description = "Bad workspaceId, from, to (from must be before to), limit or cursor")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(
      responseCode = "403",
      description = "Not a service token with usage:read or housekeeping:run")
  public Uni<Page<HousekeepingRepository.UsageRow>> usage(
      @QueryParam("workspaceId") String workspaceId,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor) {
    List<Problem.FieldError> errors = new ArrayList<>();
    UUID workspace = QueryParams.uuid(workspaceId, "workspaceId", errors);
    Instant toTime = QueryParams.instant(to, "to", errors);
    Instant fromTime = QueryParams.instant(from, "from", errors);
    int size = limit == null ? DEFAULT_LIMIT : limit;
    if (size < 1 || size > MAX_LIMIT) {
      errors.add(new Problem.FieldError("limit", "between 1 and " + MAX_LIMIT));
    }
    if (errors.isEmpty()) {
      toTime = toTime == null ? Instant.now() : toTime;
      fromTime = fromTime == null ? toTime.minus(Duration.ofHours(24)) : fromTime;
      if (!fromTime.isBefore(toTime)) {
        errors.add(new Problem.FieldError("from", "before to"));
      }
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(
          Problem.of(400, "Some parameters are not valid.").withErrors(errors));
    }
    HousekeepingRepository.UsageKey after = cursor == null || cursor.isBlank() ? null : key(cursor);
    UUID ws = workspace;
    Instant f = fromTime;
    Instant t = toTime;
    return pool.withConnection(c -> repository.usage(c, ws, f, t, after, size + 1))
        .map(
            rows -> {
              if (rows.size() <= size) {
                return new Page<>(rows, null);
              }
              List<HousekeepingRepository.UsageRow> items = List.copyOf(rows.subList(0, size));
              HousekeepingRepository.UsageRow last = items.get(size - 1);
              String next =
                  new Cursor(last.hour() + " " + last.workspaceId(), last.workflowId().toString())
                      .encode();
              return new Page<>(items, next);
            });
  }

  private static HousekeepingRepository.UsageKey key(String cursor) {
    Cursor decoded = Cursor.decode(cursor);
    try {
      String[] sort = decoded.sortKey().split(" ", 2);
      return new HousekeepingRepository.UsageKey(
          Instant.parse(sort[0]), UUID.fromString(sort[1]), UUID.fromString(decoded.id()));
    } catch (RuntimeException e) {
      throw new ProblemException(400, "The cursor is not one this API issued.");
    }
  }
}
