package io.linkflow.node;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.linkflow.events.EventCodec;
import io.linkflow.events.EventTypes;
import io.linkflow.events.Topic;
import io.linkflow.events.payload.NodeTypeChangedV1;
import io.linkflow.node.catalog.CatalogSeeder;
import io.linkflow.node.catalog.CatalogSeeder.Seeded;
import io.linkflow.nodes.Catalog;
import io.linkflow.nodes.CatalogLoader;
import io.linkflow.nodes.NodeType;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TestIssuer;
import io.linkflow.testing.TopicWatcher;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Seeding the catalog: node.type_changed on node.events once per added or changed node type
 * version, in the seeding transaction, and nothing for an unchanged catalog (a restart).
 */
@QuarkusTest
@RealInfrastructure(database = "linkflow_node", redis = false)
class CatalogSeedingTest {

  private static final String TYPE = EventTypes.NODE_TYPE_CHANGED_V1.cloudEventType();
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject CatalogSeeder seeder;
  @Inject Pool pool;

  private final String testType =
      "linkflow.seedTest" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  @AfterEach
  void forgetTheTestType() {
    pool.preparedQuery("DELETE FROM node_type WHERE type = $1")
        .execute(Tuple.of(testType))
        .await()
        .atMost(WAIT);
  }

  @Test
  void startUpAnnouncedEachBuiltInTypeOnceAndAnUnchangedCatalogAnnouncesNothing() {
    Catalog catalog = CatalogLoader.load();
    Set<String> builtIn =
        catalog.nodeTypes().stream().map(NodeType::type).collect(Collectors.toSet());
    try (TopicWatcher watcher = TopicWatcher.watch(Topic.NODE_EVENTS.topicName())) {
      List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!subjects(seen).containsAll(builtIn) && System.nanoTime() < deadline) {
        seen.addAll(watcher.poll(Duration.ofMillis(200)));
      }
      assertThat(subjects(seen)).containsAll(builtIn);

      assertThat(seeder.seed(catalog).await().atMost(WAIT)).isEmpty();
      assertThat(seeder.seed(catalog).await().atMost(WAIT)).isEmpty();

      seen.addAll(watcher.poll(Duration.ofSeconds(2)));
      Map<String, Long> perType =
          seen.stream()
              .filter(r -> TYPE.equals(TopicWatcher.header(r, "ce_type")))
              .filter(r -> builtIn.contains(r.key()))
              .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
      assertThat(perType).hasSize(builtIn.size());
      assertThat(perType.values()).containsOnly(1L);
      ConsumerRecord<String, byte[]> http =
          seen.stream().filter(r -> "linkflow.httpRequest".equals(r.key())).findFirst().get();
      assertThat(TopicWatcher.header(http, "ce_source")).isEqualTo("/services/node");
      assertThat(TopicWatcher.header(http, "ce_subject")).isEqualTo("linkflow.httpRequest");
      assertThat(EventCodec.read(NodeTypeChangedV1.class, http.value()))
          .isEqualTo(
              new NodeTypeChangedV1(
                  "linkflow.httpRequest", 1, "added", "HTTP Request", "network", "action"));
    }
  }

  @Test
  void aNewOrChangedTypeIsAnnouncedOnceAndServedAtOnce() {
    NodeType v1 = definition(1, "First description.");
    try (TopicWatcher watcher = TopicWatcher.watch(Topic.NODE_EVENTS.topicName())) {
      assertThat(seed(v1)).containsExactly(new Seeded(testType, 1, "added"));
      assertThat(seed(v1)).isEmpty();

      NodeType changed = definition(1, "Second description.");
      assertThat(seed(changed)).containsExactly(new Seeded(testType, 1, "changed"));
      assertThat(seed(changed)).isEmpty();

      NodeType v2 = definition(2, "Version two.");
      assertThat(seed(changed, v2)).containsExactly(new Seeded(testType, 2, "added"));
      assertThat(seed(changed, v2)).isEmpty();

      List<NodeTypeChangedV1> events = new ArrayList<>();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (events.size() < 3 && System.nanoTime() < deadline) {
        events.addAll(ofTestType(watcher.poll(Duration.ofMillis(200))));
      }
      events.addAll(ofTestType(watcher.poll(Duration.ofSeconds(1))));
      assertThat(events)
          .containsExactly(
              new NodeTypeChangedV1(testType, 1, "added", "Seed test", "test", "action"),
              new NodeTypeChangedV1(testType, 1, "changed", "Seed test", "test", "action"),
              new NodeTypeChangedV1(testType, 2, "added", "Seed test", "test", "action"));
    }

    String token = TestIssuer.get().token(UUID.randomUUID(), UUID.randomUUID(), "viewer");
    given()
        .auth()
        .oauth2(token)
        .get("/api/v1/nodes/" + testType)
        .then()
        .statusCode(200)
        .body("version", equalTo(2))
        .body("description", equalTo("Version two."));
    given()
        .auth()
        .oauth2(token)
        .get("/api/v1/nodes/" + testType + "?version=1")
        .then()
        .statusCode(200)
        .body("version", equalTo(1))
        .body("description", equalTo("Second description."));
    given()
        .auth()
        .oauth2(token)
        .get("/api/v1/nodes?category=test&q=" + testType.substring(9))
        .then()
        .statusCode(200)
        .body("items.size()", equalTo(1))
        .body("items[0].version", equalTo(2));
  }

  private List<Seeded> seed(NodeType... nodes) {
    return seeder.seed(new Catalog(List.of(nodes), List.of())).await().atMost(WAIT);
  }

  private NodeType definition(int version, String description) {
    NodeType template =
        CatalogLoader.load().nodeTypes().stream()
            .filter(n -> n.type().equals("linkflow.noOp"))
            .findFirst()
            .orElseThrow();
    return new NodeType(
        testType,
        version,
        "Seed test",
        "test",
        template.kind(),
        description,
        template.inputs(),
        template.outputs(),
        template.parameters(),
        template.credentialTypes(),
        template.documentation());
  }

  private List<NodeTypeChangedV1> ofTestType(List<ConsumerRecord<String, byte[]>> records) {
    return records.stream()
        .filter(r -> testType.equals(r.key()) && TYPE.equals(TopicWatcher.header(r, "ce_type")))
        .map(r -> EventCodec.read(NodeTypeChangedV1.class, r.value()))
        .toList();
  }

  private static Set<String> subjects(List<ConsumerRecord<String, byte[]>> records) {
    return records.stream()
        .map((Function<ConsumerRecord<String, byte[]>, String>) ConsumerRecord::key)
        .collect(Collectors.toCollection(HashSet::new));
  }
}
