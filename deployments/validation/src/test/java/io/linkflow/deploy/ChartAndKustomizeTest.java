package io.linkflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The chart and the kustomize files describe the same cluster: {@code helm template} with default
 * values and {@code kubectl kustomize deployments/k8s/base} produce the same objects (kind,
 * namespace, name); the overlays keep all of them, in the linkflow namespace, with the chart's
 * scaling; and their KafkaTopics are those of kafka/ on an existing Kafka cluster. (Content drift
 * between the committed base and the chart: RenderedBaseTest.)
 */
class ChartAndKustomizeTest {

  /** Cluster-scoped kinds among what LinkFlow ships (no namespace). */
  private static final Set<String> CLUSTER_SCOPED =
      Set.of("Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition");

  private static Set<String> ids(List<Manifest> manifests) {
    Set<String> ids = new TreeSet<>();
    manifests.forEach(m -> ids.add(m.id()));
    return ids;
  }

  @Test
  void chartAndKustomizeBaseProduceTheSameObjects() {
    assertThat(ids(DeploymentFiles.built(DeploymentFiles.BASE)))
        .as(
            "objects of `kubectl kustomize deployments/k8s/base` vs `helm template` (default"
                + " values): run `make k8s-render` after changing the chart")
        .containsExactlyInAnyOrderElementsOf(ids(DeploymentFiles.chart()));
  }

  @Test
  void theOverlaysKeepEveryObjectOfTheBaseInTheLinkflowNamespace() {
    Set<String> base = ids(DeploymentFiles.built(DeploymentFiles.BASE));
    for (Path overlay : List.of(DeploymentFiles.PRODUCTION, DeploymentFiles.STAGING)) {
      List<Manifest> manifests = DeploymentFiles.built(overlay);
      assertThat(ids(manifests))
          .as("kubectl kustomize " + overlay + " keeps the base")
          .containsAll(base);
      List<String> outside = new ArrayList<>();
      for (Manifest m : manifests) {
        boolean clusterScoped = CLUSTER_SCOPED.contains(m.kind());
        if (clusterScoped ? !m.namespace().isEmpty() : !m.namespace().equals("linkflow")) {
          outside.add(m.describe());
        }
      }
      assertThat(outside)
          .as(
              "objects of %s outside namespace linkflow (namespaced kinds must say it, so `kubectl apply -k` never lands in the current context's namespace)",
              overlay)
          .isEmpty();
      assertThat(DeploymentFiles.find(manifests, "Namespace", "linkflow"))
          .as(overlay + " creates the linkflow Namespace")
          .isNotNull();
    }
  }

  /** Production runs the scaling table as the chart renders it (ScalingTest checks the table). */
  @Test
  void productionScalesAsTheChart() {
    assertThat(scaling(DeploymentFiles.built(DeploymentFiles.PRODUCTION)))
        .as("HPAs, ScaledObjects and fixed replicas of the production overlay vs the chart")
        .isEqualTo(scaling(DeploymentFiles.chart()));
  }

  private static Map<String, JsonNode> scaling(List<Manifest> manifests) {
    // JsonNode equality ignores key order (kustomize sorts keys, Helm keeps the template's).
    Map<String, JsonNode> scaling = new TreeMap<>();
    for (Manifest m : manifests) {
      JsonNode spec = m.object().path("spec");
      switch (m.kind()) {
        case "HorizontalPodAutoscaler", "ScaledObject" -> scaling.put(m.id(), spec);
        case "Deployment" -> scaling.put(m.id(), spec.path("replicas"));
        default -> {}
      }
    }
    return scaling;
  }

  @Test
  void theOverlaysTopicsAreThoseOfKafkaOnAnExistingCluster() {
    Map<String, String> kafkaFolder = topics(DeploymentFiles.built(Path.of("kafka")));
    assertThat(kafkaFolder)
        .as("KafkaTopics of kafka/ (KafkaTopicsTest compares them with Topic.java)")
        .isNotEmpty();
    for (Path overlay : List.of(DeploymentFiles.PRODUCTION, DeploymentFiles.STAGING)) {
      List<Manifest> manifests = DeploymentFiles.built(overlay);
      assertThat(topics(manifests))
          .as("KafkaTopics of " + overlay + " vs kafka/")
          .isEqualTo(kafkaFolder);
      Set<String> clusters = new TreeSet<>();
      DeploymentFiles.ofKind(manifests, "Kafka").forEach(k -> clusters.add(k.name()));
      for (Manifest topic : DeploymentFiles.ofKind(manifests, "KafkaTopic")) {
        assertThat(clusters)
            .as(topic + ": label strimzi.io/cluster names the Kafka the topic operator manages")
            .contains(topic.labels().get("strimzi.io/cluster"));
      }
      for (Manifest pool : DeploymentFiles.ofKind(manifests, "KafkaNodePool")) {
        assertThat(clusters)
            .as(pool + ": label strimzi.io/cluster")
            .contains(pool.labels().get("strimzi.io/cluster"));
      }
    }
  }

  private static Map<String, String> topics(List<Manifest> manifests) {
    Map<String, String> topics = new TreeMap<>();
    for (Manifest topic : DeploymentFiles.ofKind(manifests, "KafkaTopic")) {
      JsonNode spec = topic.object().path("spec");
      String name = spec.path("topicName").asText(topic.name());
      // Partitions and settings must be the same everywhere; replicas may differ (staging runs a
      // single broker).
      topics.put(name, spec.path("partitions") + " partitions, config " + spec.path("config"));
    }
    return topics;
  }
}
