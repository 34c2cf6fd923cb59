package io.linkflow.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every published event type round-trips its golden JSON file: reading the file into the payload
 * record and writing it back gives the same JSON. A field renamed, removed or retyped in a
 * published version fails here.
 */
class GoldenEventsTest {

  private final ObjectMapper mapper = EventCodec.mapper();

  @Test
  void everyEventTypeRoundTripsItsGoldenFile() throws IOException {
    assertThat(EventTypes.ALL).isNotEmpty();
    for (EventType<?> type : EventTypes.ALL) {
      String file = "/golden/" + type.name() + ".v" + type.version() + ".json";
      try (InputStream in = getClass().getResourceAsStream(file)) {
        assertThat(in).as("golden file %s for %s", file, type.cloudEventType()).isNotNull();
        JsonNode golden = mapper.readTree(in);
        Object payload = mapper.treeToValue(golden, type.payload());
        JsonNode written = mapper.readTree(EventCodec.write(payload));
        assertThat(written).as("%s round trip", type.cloudEventType()).isEqualTo(golden);
        Set<String> components =
            Arrays.stream(type.payload().getRecordComponents())
                .map(c -> c.getName())
                .collect(Collectors.toSet());
        Set<String> goldenFields = new java.util.HashSet<>();
        golden.fieldNames().forEachRemaining(goldenFields::add);
        assertThat(goldenFields)
            .as("the golden file of %s sets every field", type.cloudEventType())
            .isEqualTo(components);
      }
    }
  }

  @Test
  void typeNamesAreUniqueVersionedAndOnKnownTopics() {
    Set<String> names =
        EventTypes.ALL.stream().map(EventType::cloudEventType).collect(Collectors.toSet());
    assertThat(names).hasSize(EventTypes.ALL.size());
    assertThat(names).allMatch(n -> n.matches("io\\.linkflow\\.[a-z_.]+\\.v\\d+"));
    assertThat(EventTypes.byCloudEventType("io.linkflow.workflow.activated.v1"))
        .contains(EventTypes.WORKFLOW_ACTIVATED_V1);
  }

  @Test
  void topicsMatchTheDesign() {
    assertThat(Topic.values()).hasSize(18);
    assertThat(Topic.EXECUTION_EVENTS.partitions()).isEqualTo(20);
    assertThat(Topic.AUDIT_LOG.retention()).hasDays(30);
    assertThat(Topic.byName("dlq.events")).contains(Topic.DLQ_EVENTS);
    assertThat(Arrays.stream(Topic.values()).mapToInt(Topic::partitions).sum()).isEqualTo(153);
  }
}
