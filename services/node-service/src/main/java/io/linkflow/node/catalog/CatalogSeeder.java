package io.linkflow.node.catalog;

import io.linkflow.events.EventTypes;
import io.linkflow.events.outbox.Outbox;
import io.linkflow.events.payload.NodeTypeChangedV1;
import io.linkflow.nodes.Catalog;
import io.linkflow.nodes.CatalogLoader;
import io.linkflow.nodes.CredentialType;
import io.linkflow.nodes.NodeType;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Seeds the catalog into PostgreSQL at start-up (after Flyway), in one transaction: each node type
 * version is inserted, or its stored definition replaced when it differs, and each such change is
 * announced on node.events as {@code node.type_changed} through the outbox in that transaction. An
 * unchanged catalog changes and publishes nothing; replicas starting together are serialized by a
 * transaction-scoped advisory lock. Types no longer in the catalog stay stored (workflows may still
 * use them). An invalid catalog fails start-up.
 */
@ApplicationScoped
public class CatalogSeeder {

  private static final Logger LOG = Logger.getLogger(CatalogSeeder.class);

  /** The advisory lock key ({@code hashtext('node-catalog-seed')} would do; any constant works). */
  private static final long LOCK = 0x6e6f6465L;

  /** A node type version the seeding added or changed. */
  public record Seeded(String type, int version, String change) {}

  private final Pool pool;
  private final NodeTypeRepository repository;
  private final Outbox outbox;

  public CatalogSeeder(Pool pool, NodeTypeRepository repository, Outbox outbox) {
    this.pool = pool;
    this.repository = repository;
    this.outbox = outbox;
  }

  void onStart(@Observes StartupEvent ignored) {
    Catalog catalog = CatalogLoader.load();
    List<Seeded> seeded = seed(catalog).await().atMost(Duration.ofMinutes(1));
    LOG.infof(
        "Node catalog: %d node types, %d credential types; %d added or changed",
        catalog.nodeTypes().size(), catalog.credentialTypes().size(), seeded.size());
  }

  /** Stores {@code catalog}; the node type versions it added or changed, each announced once. */
  public Uni<List<Seeded>> seed(Catalog catalog) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery("SELECT pg_advisory_xact_lock($1)")
                .execute(Tuple.of(LOCK))
                .chain(() -> credentials(tx, catalog.credentialTypes(), 0))
                .chain(() -> nodes(tx, catalog.nodeTypes(), 0, new ArrayList<>())));
  }

  private Uni<Void> credentials(SqlClient tx, List<CredentialType> types, int at) {
    if (at == types.size()) {
      return Uni.createFrom().voidItem();
    }
    return repository.upsert(tx, types.get(at)).chain(ignored -> credentials(tx, types, at + 1));
  }

  private Uni<List<Seeded>> nodes(SqlClient tx, List<NodeType> types, int at, List<Seeded> out) {
    if (at == types.size()) {
      return Uni.createFrom().item(List.copyOf(out));
    }
    NodeType node = types.get(at);
    return repository
        .upsert(tx, node)
        .chain(
            change -> {
              if (change.isEmpty()) {
                return Uni.createFrom().voidItem();
              }
              String name = change.get().name().toLowerCase(Locale.ROOT);
              out.add(new Seeded(node.type(), node.version(), name));
              return outbox
                  .append(
                      tx,
                      EventTypes.NODE_TYPE_CHANGED_V1,
                      node.type(),
                      null,
                      new NodeTypeChangedV1(
                          node.type(),
                          node.version(),
                          name,
                          node.displayName(),
                          node.category(),
                          node.kind()))
                  .replaceWithVoid();
            })
        .chain(() -> nodes(tx, types, at + 1, out));
  }
}
