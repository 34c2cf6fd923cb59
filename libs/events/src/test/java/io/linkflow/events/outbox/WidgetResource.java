package io.linkflow.events.outbox;

import io.linkflow.events.EventTypes;
import io.linkflow.events.payload.WorkflowDeactivatedV1;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.UUID;

/** A service endpoint in miniature: changes state and announces it through the outbox. */
@Path("/test/widgets")
@Produces(MediaType.APPLICATION_JSON)
public class WidgetResource {

  private final Pool pool;
  private final Outbox outbox;

  public WidgetResource(Pool pool, Outbox outbox) {
    this.pool = pool;
    this.outbox = outbox;
  }

  @POST
  @Path("/{id}")
  public Uni<Map<String, String>> create(@PathParam("id") UUID id) {
    return pool.withTransaction(
            tx ->
                tx.preparedQuery("INSERT INTO widget (id, name) VALUES ($1, 'traced')")
                    .execute(Tuple.of(id))
                    .flatMap(
                        ignored ->
                            outbox.append(
                                tx,
                                EventTypes.WORKFLOW_DEACTIVATED_V1,
                                id.toString(),
                                null,
                                new WorkflowDeactivatedV1(id, id))))
        .map(event -> Map.of("eventId", event.id().toString()));
  }
}
