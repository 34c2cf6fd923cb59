package io.linkflow.schedule.housekeeping;

import io.linkflow.common.error.ProblemException;
import io.linkflow.common.paging.Cursor;
import io.linkflow.common.paging.Page;
import io.linkflow.common.paging.PageRequest;
import io.linkflow.security.Scopes;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Operators' handle on the housekeeping jobs: run one now, list the runs. Only service tokens with
 * the internal scope {@code housekeeping:run} (the operator client), never routed by the edge.
 */
@Path("/internal/v1/housekeeping")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "internal", description = "Service-to-service; not routed by the edge")
public class HousekeepingResource {

  private final HousekeepingRunner runner;
  private final HousekeepingRuns runs;
  private final Pool pool;

  public HousekeepingResource(HousekeepingRunner runner, HousekeepingRuns runs, Pool pool) {
    this.runner = runner;
    this.runs = runs;
    this.pool = pool;
  }

  @POST
  @Path("/{job}/run")
  @PermissionsAllowed(Scopes.HOUSEKEEPING_RUN)
  @Operation(
      summary =
          "Run a housekeeping job now (retention, dlq, stale or usage), as the slot 'now': recorded"
              + " like a timed run; whether or not the job's timer is enabled")
  @APIResponse(
      responseCode = "200",
      description =
          "The run: {job, slot, trigger, replica, startedAt, finishedAt, outcome (succeeded or"
              + " failed), items, detail}")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "Not a service token with housekeeping:run")
  @APIResponse(responseCode = "404", description = "No such job")
  @APIResponse(
      responseCode = "409",
      description = "A run of the job for this very millisecond exists already")
  public Uni<HousekeepingRuns.Run> run(@PathParam("job") String job) {
    requireJob(job);
    Instant slot = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return runner
        .run(job, slot, "manual")
        .map(
            run ->
                run.orElseThrow(
                    () ->
                        new ProblemException(
                            409, "A run of " + job + " for " + slot + " exists already.")));
  }

  @GET
  @Path("/runs")
  @PermissionsAllowed(Scopes.HOUSEKEEPING_RUN)
  @Operation(summary = "Housekeeping runs, newest slot first; of one job or all")
  @APIResponse(
      responseCode = "200",
      description =
          "{items: [{job, slot, trigger, replica, startedAt, finishedAt, outcome, items,"
              + " detail}], nextCursor}")
  @APIResponse(responseCode = "400", description = "Bad limit or cursor")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "Not a service token with housekeeping:run")
  @APIResponse(responseCode = "404", description = "No such job")
  public Uni<Page<HousekeepingRuns.Run>> list(
      @QueryParam("job") String job,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor) {
    if (job != null && !job.isBlank()) {
      requireJob(job);
    }
    String only = job == null || job.isBlank() ? null : job;
    PageRequest page = PageRequest.of(limit, cursor);
    Instant beforeSlot = page.after().map(c -> parseInstant(c.sortKey())).orElse(null);
    String beforeJob = page.after().map(Cursor::id).orElse(null);
    return pool.withConnection(c -> runs.latest(c, only, beforeSlot, beforeJob, page.fetchSize()))
        .map(rows -> Page.of(rows, page, r -> new Cursor(r.slot().toString(), r.job())));
  }

  static void requireJob(String job) {
    if (!HousekeepingJobs.exists(job)) {
      throw new ProblemException(
          404, "No housekeeping job '" + job + "'; the jobs are " + HousekeepingJobs.NAMES + ".");
    }
  }

  static Instant parseInstant(String value) {
    try {
      return Instant.parse(value);
    } catch (RuntimeException e) {
      throw new ProblemException(400, "The cursor is not one this API issued.");
    }
  }
}
