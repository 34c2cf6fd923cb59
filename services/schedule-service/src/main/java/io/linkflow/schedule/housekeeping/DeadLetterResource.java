package io.linkflow.schedule.housekeeping;

import io.linkflow.common.error.Problem;
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
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The dead letters of dlq.events for operators: list them (e.g. the parked ones), look at one,
 * re-drive one by hand. Only service tokens with the internal scope {@code housekeeping:run} (the
 * operator client), never routed by the edge.
 */
@Path("/internal/v1/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "internal", description = "Service-to-service; not routed by the edge")
public class DeadLetterResource {

  static final Set<String> STATUSES =
      Set.of(DeadLetter.PENDING, DeadLetter.REDRIVEN, DeadLetter.PARKED);

  private final Pool pool;
  private final DeadLetters letters;
  private final DeadLetterProcessor processor;

  public DeadLetterResource(Pool pool, DeadLetters letters, DeadLetterProcessor processor) {
    this.pool = pool;
    this.letters = letters;
    this.processor = processor;
  }

  /** A header of the original record: its text, or base64 when it is not UTF-8. */
  public record HeaderView(String name, String value, String base64) {}

  /**
   * A dead letter. {@code key}/{@code value} are the original record's as text, or {@code
   * keyBase64}/{@code valueBase64} when not UTF-8; the list leaves the value out.
   */
  public record DeadLetterView(
      UUID id,
      String status,
      String originalTopic,
      int partition,
      long offset,
      String key,
      String keyBase64,
      String type,
      String eventId,
      String subject,
      List<HeaderView> headers,
      String value,
      String valueBase64,
      int valueBytes,
      String reason,
      String exceptionClass,
      String causeClass,
      String cause,
      int redriveCount,
      String parkReason,
      String lastError,
      Instant receivedAt,
      Instant redrivenAt,
      Instant updatedAt) {

    static DeadLetterView of(DeadLetter d, boolean withValue) {
      String key = d.key() == null ? null : DeadLetter.utf8(d.key());
      String value = !withValue || d.value() == null ? null : DeadLetter.utf8(d.value());
      return new DeadLetterView(
          d.id(),
          d.status(),
          d.originalTopic(),
          d.originalPartition(),
          d.originalOffset(),
          key,
          d.key() != null && key == null ? Base64.getEncoder().encodeToString(d.key()) : null,
          d.header("ce_type"),
          d.header("ce_id"),
          d.header("ce_subject"),
          d.headers().stream()
              .map(
                  h -> {
                    String text = h.text();
                    return new HeaderView(
                        h.name(),
                        text,
                        h.value() != null && text == null
                            ? Base64.getEncoder().encodeToString(h.value())
                            : null);
                  })
              .toList(),
          value,
          withValue && d.value() != null && value == null
              ? Base64.getEncoder().encodeToString(d.value())
              : null,
          d.value() == null ? 0 : d.value().length,
          d.reason(),
          d.exceptionClass(),
          d.causeClass(),
          d.cause(),
          d.redriveCount(),
          d.parkReason(),
          d.lastError(),
          d.receivedAt(),
          d.redrivenAt(),
          d.updatedAt());
    }
  }

  @GET
  @PermissionsAllowed(Scopes.HOUSEKEEPING_RUN)
  @Operation(summary = "Dead letters, newest first; filter by status (pending, redriven, parked)")
  @APIResponse(responseCode = "200", description = "{items, nextCursor}; items without value")
  @APIResponse(responseCode = "400", description = "Bad status, limit or cursor")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "Not a service token with housekeeping:run")
  public Uni<Page<DeadLetterView>> list(
      @QueryParam("status") String status,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor) {
    String only = status == null || status.isBlank() ? null : status.trim();
    if (only != null && !STATUSES.contains(only)) {
      throw new ProblemException(
          Problem.of(400, "Unknown status.")
              .withErrors(
                  List.of(
                      new Problem.FieldError(
                          "status",
                          "one of " + String.join(", ", STATUSES.stream().sorted().toList())))));
    }
    PageRequest page = PageRequest.of(limit, cursor);
    Instant beforeReceived =
        page.after().map(c -> HousekeepingResource.parseInstant(c.sortKey())).orElse(null);
    UUID beforeId = page.after().map(c -> cursorId(c.id())).orElse(null);
    return pool.withConnection(
            c -> letters.list(c, only, beforeReceived, beforeId, page.fetchSize()))
        .map(
            rows ->
                Page.of(rows, page, d -> new Cursor(d.receivedAt().toString(), d.id().toString())))
        .map(
            p ->
                new Page<>(
                    p.items().stream().map(d -> DeadLetterView.of(d, false)).toList(),
                    p.nextCursor()));
  }

  @GET
  @Path("/{id}")
  @PermissionsAllowed(Scopes.HOUSEKEEPING_RUN)
  @Operation(summary = "One dead letter with the original record's value")
  @APIResponse(responseCode = "200", description = "The dead letter")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "Not a service token with housekeeping:run")
  @APIResponse(responseCode = "404", description = "No such dead letter")
  public Uni<DeadLetterView> get(@PathParam("id") String id) {
    UUID letter = letterId(id);
    return pool.withConnection(c -> letters.find(c, letter))
        .map(found -> DeadLetterView.of(found.orElseThrow(DeadLetterResource::notFound), true));
  }

  @POST
  @Path("/{id}/redrive")
  @PermissionsAllowed(Scopes.HOUSEKEEPING_RUN)
  @Operation(
      summary =
          "Re-drive one dead letter to its original topic now, whatever its status and re-drive"
              + " count (e.g. a parked one after the consumer was fixed)")
  @APIResponse(responseCode = "200", description = "The dead letter, now redriven")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "Not a service token with housekeeping:run")
  @APIResponse(responseCode = "404", description = "No such dead letter")
  @APIResponse(
      responseCode = "409",
      description = "It has no LinkFlow topic to go back to (not dead-lettered by a consumer)")
  @APIResponse(responseCode = "503", description = "Kafka did not take it; nothing changed")
  public Uni<DeadLetterView> redrive(@PathParam("id") String id) {
    UUID letter = letterId(id);
    return processor
        .redrive(letter)
        .onFailure(e -> !(e instanceof ProblemException))
        .transform(
            e ->
                new ProblemException(
                    503,
                    "Kafka did not take the record; the dead letter is unchanged: "
                        + HousekeepingRunner.describe(e)))
        .map(
            forced ->
                switch (forced) {
                  case DeadLetterProcessor.Forced.Redriven r -> DeadLetterView.of(r.letter(), true);
                  case DeadLetterProcessor.Forced.NotFound n -> throw notFound();
                  case DeadLetterProcessor.Forced.Refused r ->
                      throw new ProblemException(409, r.reason());
                });
  }

  private static UUID letterId(String value) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw notFound();
    }
  }

  private static UUID cursorId(String value) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(400, "The cursor is not one this API issued.");
    }
  }

  private static ProblemException notFound() {
    return new ProblemException(404, "No such dead letter.");
  }
}
