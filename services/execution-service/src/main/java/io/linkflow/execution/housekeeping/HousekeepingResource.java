package io.linkflow.execution.housekeeping;

import io.linkflow.common.error.Problem;
import io.linkflow.common.error.ProblemException;
import io.linkflow.common.http.QueryParams;
import io.linkflow.security.Scopes;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The housekeeping jobs over execution data, run when schedule-service (which times them) or an
 * operator calls: only service tokens with the internal scope {@code housekeeping:run}, never
 * routed by the edge. Every job is safe to run at any time and more than once.
 */
@Path("/internal/v1/housekeeping")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "internal", description = "Service-to-service; not routed by the edge")
public class HousekeepingResource {

  static final List<String> JOBS = List.of("retention", "stale", "usage");

  private final Retention retention;
  private final StaleWork stale;
  private final UsageRollup usage;

  public HousekeepingResource(Retention retention, StaleWork stale, UsageRollup usage) {
    this.retention = retention;
    this.stale = stale;
    this.usage = usage;
  }

  /** The answer of the retention job. */
  public record RetentionResult(String job, int deleted, long durationMs, boolean more) {}

  /** The answer of the stale-work job. */
  public record StaleResult(String job, int requeued, long durationMs) {}

  /** The answer of the usage job: hours [from, to) rolled up. */
  public record UsageResult(
      String job, int hours, int rows, Instant from, Instant to, long durationMs, boolean more) {}

  @POST
  @Path("/{job}")
  @PermissionsAllowed(Scopes.HOUSEKEEPING_RUN)
  @Operation(
      summary =
          "Run a housekeeping job now: retention (delete executions finished longer ago than the"
              + " retention, with their node runs), stale (give stuck executions a timer again) or"
              + " usage (roll up usage per workspace, workflow and hour)")
  @APIResponse(
      responseCode = "200",
      description =
          "retention {job, deleted, durationMs, more}; stale {job, requeued, durationMs}; usage"
              + " {job, hours, rows, from, to, durationMs, more}. more: call again, work is left")
  @APIResponse(responseCode = "400", description = "usage: from is not an ISO-8601 instant")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "Not a service token with housekeeping:run")
  @APIResponse(responseCode = "404", description = "No such job")
  public Uni<Response> run(@PathParam("job") String job, @QueryParam("from") String from) {
    long started = System.nanoTime();
    Uni<Object> result =
        switch (job) {
          case "retention" ->
              retention
                  .run()
                  .map(o -> new RetentionResult(job, o.deleted(), millis(started), o.more()));
          case "stale" ->
              stale.run().map(requeued -> new StaleResult(job, requeued.size(), millis(started)));
          case "usage" -> {
            Instant since = instant(from);
            yield usage
                .run(since)
                .map(
                    o ->
                        new UsageResult(
                            job, o.hours(), o.rows(), o.from(), o.to(), millis(started), o.more()));
          }
          default ->
              throw new ProblemException(
                  404, "No housekeeping job '" + job + "' here; the jobs are " + JOBS + ".");
        };
    return result.map(body -> Response.ok(body).build());
  }

  private static Instant instant(String value) {
    List<Problem.FieldError> errors = new java.util.ArrayList<>();
    Instant from = QueryParams.instant(value, "from", errors);
    if (!errors.isEmpty()) {
      throw new ProblemException(
          Problem.of(400, "from must be an ISO-8601 instant.").withErrors(errors));
    }
    return from;
  }

  private static long millis(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }
}
