package io.linkflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.linkflow.events.Topic;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The KafkaTopic resources (chart and kafka/topics.yaml) equal libs/events Topic.java. */
class KafkaTopicsTest {

  @Test
  void renderedTopicsEqualTopicJava() {
    assertTopicsEqualTopicJava(K8sRender.documents(HelmChart.linkflow().template()));
  }

  @Test
  void kafkaFolderTopicsEqualTopicJava() throws IOException {
    String file =
        Files.readString(
            HelmChart.repositoryRoot().resolve(K8sRender.KAFKA).resolve("topics.yaml"));
    assertTopicsEqualTopicJava(K8sRender.documents(file));
  }

  private static void assertTopicsEqualTopicJava(List<K8sRender.Document> documents) {
    Map<String, String> expected = new TreeMap<>();
    for (Topic t : Topic.values()) {
      expected.put(
          t.topicName(),
          t.partitions()
              + " partitions, "
              + new TreeMap<>(t.configs())
              + ", cluster linkflow-kafka");
    }
    Map<String, String> actual = new TreeMap<>();
    for (K8sRender.Document d : documents) {
      if (!d.kind().equals("KafkaTopic")) {
        continue;
      }
      assertThat(d.object().path("apiVersion").asText()).isEqualTo("kafka.strimzi.io/v1beta2");
      JsonNode spec = d.object().path("spec");
      Map<String, String> config = new TreeMap<>();
      spec.path("config")
          .fields()
          .forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
      String previous =
          actual.put(
              spec.path("topicName").asText(),
              spec.path("partitions").asInt()
                  + " partitions, "
                  + config
                  + ", cluster "
                  + d.label("strimzi.io/cluster"));
      assertThat(previous).as("topic %s twice", spec.path("topicName")).isNull();
    }
    assertThat(actual).hasSize(Topic.values().length).isEqualTo(expected);
    assertThat(Arrays.stream(Topic.values()).count()).isEqualTo(18);
  }
}
