package io.linkflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The scaling table of the issue and docs/operations.md, as the chart renders it by default (and so
 * as the base and the production overlay carry it).
 */
class ScalingTest {

  /** service → {min, max} of its HorizontalPodAutoscaler, at 70 % CPU. */
  private static final Map<String, int[]> HPA =
      Map.of(
          "auth", new int[] {2, 10},
          "workflow", new int[] {3, 15},
          "execution", new int[] {5, 50},
          "webhook", new int[] {3, 20});

  private final Map<String, JsonNode> objects =
      ChartObjects.byKindAndName(HelmChart.linkflow().template());

  @Test
  void hpasAreExactlyTheTable() {
    Map<String, JsonNode> hpas = ChartObjects.ofKind(objects, "HorizontalPodAutoscaler");
    assertThat(hpas.keySet())
        .containsExactlyInAnyOrder(
            HPA.keySet().stream().map(s -> s + "-service").toArray(String[]::new));
    HPA.forEach(
        (service, bounds) -> {
          JsonNode spec = hpas.get(service + "-service").path("spec");
          assertThat(spec.path("scaleTargetRef").path("kind").asText()).isEqualTo("Deployment");
          assertThat(spec.path("scaleTargetRef").path("name").asText())
              .isEqualTo(service + "-service");
          assertThat(spec.path("minReplicas").asInt()).as(service).isEqualTo(bounds[0]);
          assertThat(spec.path("maxReplicas").asInt()).as(service).isEqualTo(bounds[1]);
          JsonNode metric = spec.path("metrics").path(0);
          assertThat(spec.path("metrics")).hasSize(1);
          assertThat(metric.path("resource").path("name").asText()).isEqualTo("cpu");
          assertThat(metric.path("resource").path("target").path("averageUtilization").asInt())
              .isEqualTo(70);
          // The HPA owns the replica count: the Deployment leaves it unset.
          assertThat(objects.get("Deployment/" + service + "-service").path("spec").has("replicas"))
              .isFalse();
        });
  }

  @Test
  void executorScalesWithKedaOnItsConsumerLagAndCpu() throws IOException {
    JsonNode scaled = ChartObjects.ofKind(objects, "ScaledObject").get("executor-service");
    assertThat(ChartObjects.ofKind(objects, "ScaledObject")).hasSize(1);
    assertThat(scaled.path("apiVersion").asText()).isEqualTo("keda.sh/v1alpha1");
    JsonNode spec = scaled.path("spec");
    assertThat(spec.path("scaleTargetRef").path("name").asText()).isEqualTo("executor-service");
    assertThat(spec.path("minReplicaCount").asInt()).isEqualTo(10);
    assertThat(spec.path("maxReplicaCount").asInt()).isEqualTo(100);

    Properties executor = properties("services/executor-service");
    JsonNode kafka = spec.path("triggers").path(0);
    assertThat(kafka.path("type").asText()).isEqualTo("kafka");
    assertThat(kafka.path("metadata").path("topic").asText())
        .isEqualTo(executor.getProperty("mp.messaging.incoming.commands.topic"))
        .isEqualTo("execution.commands");
    assertThat(kafka.path("metadata").path("consumerGroup").asText())
        .isEqualTo(executor.getProperty("mp.messaging.incoming.commands.group.id"));
    assertThat(kafka.path("metadata").path("bootstrapServers").asText())
        .isEqualTo(
            objects
                .get("ConfigMap/linkflow-config")
                .path("data")
                .path("LINKFLOW_KAFKA_BOOTSTRAP")
                .asText());
    JsonNode cpu = spec.path("triggers").path(1);
    assertThat(cpu.path("type").asText()).isEqualTo("cpu");
    assertThat(cpu.path("metricType").asText()).isEqualTo("Utilization");
    assertThat(cpu.path("metadata").path("value").asText()).isEqualTo("70");
    // KEDA creates the HPA: no second one may target the executor.
    assertThat(ChartObjects.ofKind(objects, "HorizontalPodAutoscaler"))
        .doesNotContainKey("executor-service");
    assertThat(objects.get("Deployment/executor-service").path("spec").has("replicas")).isFalse();
  }

  @Test
  void theOtherServicesRunTwoReplicas() {
    Map<String, Integer> replicas = new TreeMap<>();
    for (String service : ChartObjects.SERVICES) {
      if (!HPA.containsKey(service) && !service.equals("executor")) {
        replicas.put(
            service,
            objects
                .get("Deployment/" + service + "-service")
                .path("spec")
                .path("replicas")
                .asInt());
      }
    }
    assertThat(replicas).hasSize(11).allSatisfy((service, n) -> assertThat(n).isEqualTo(2));
  }

  static Properties properties(String module) throws IOException {
    Properties properties = new Properties();
    Path file =
        HelmChart.repositoryRoot()
            .resolve(module)
            .resolve("src/main/resources/application.properties");
    try (Reader in = Files.newBufferedReader(file)) {
      properties.load(in);
    }
    return properties;
  }
}
