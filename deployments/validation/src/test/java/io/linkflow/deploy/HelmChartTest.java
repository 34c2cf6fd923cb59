package io.linkflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** helm/linkflow through real Helm (helm-java): lint, rendering, the values schema, upgrades. */
class HelmChartTest {

  private static final HelmChart CHART = HelmChart.linkflow();
  private static final Path PRODUCTION = CHART.dir().resolve("values-production.yaml");
  private static final Path STAGING = CHART.dir().resolve("values-staging.yaml");

  @Test
  void lintStrictPasses() {
    LintResult result = CHART.lintStrict();
    assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
    assertThat(result.getMessages())
        .as("helm lint --strict reports no warning or error")
        .noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void rendersEveryServiceWithDefaultProductionAndStagingValues() {
    for (List<Path> values : List.of(List.<Path>of(), List.of(PRODUCTION), List.of(STAGING))) {
      Map<String, JsonNode> objects = ChartObjects.byKindAndName(CHART.template(values, Map.of()));
      for (String name : ChartObjects.SERVICES) {
        String object = name + "-service";
        assertThat(objects)
            .as("values %s", values)
            .containsKeys(
                "Deployment/" + object,
                "Service/" + object,
                "ServiceAccount/" + object,
                "PodDisruptionBudget/" + object);
      }
      assertThat(objects)
          .containsKeys("ConfigMap/linkflow-config", "Deployment/workflow-service-canary");
    }
  }

  @Test
  void schemaRejectsMisspeltAndUnknownValues() {
    assertThatThrownBy(() -> CHART.template(List.of(), Map.of("services.workflw.image.tag", "x")))
        .hasMessageContaining("workflw");
    assertThatThrownBy(
            () -> CHART.template(List.of(), Map.of("services.workflow.image.tagg", "v1.2.3")))
        .hasMessageContaining("tagg");
    assertThatThrownBy(() -> CHART.template(List.of(), Map.of("global.imagetag", "v1")))
        .hasMessageContaining("imagetag");
    assertThatThrownBy(
            () -> CHART.template(List.of(), Map.of("infrastructure.kafka.clustername", "k")))
        .hasMessageContaining("clustername");
    assertThatThrownBy(() -> CHART.template(List.of(), Map.of("services.auth.replicas", "two")))
        .hasMessageContaining("replicas");
  }

  /** `helm upgrade linkflow helm/linkflow --set services.workflow.image.tag=v1.2.3`. */
  @Test
  void settingOneServicesImageTagChangesExactlyItsDeployment() {
    for (List<Path> values : List.of(List.<Path>of(), List.of(PRODUCTION))) {
      Map<String, JsonNode> before = ChartObjects.byKindAndName(CHART.template(values, Map.of()));
      Map<String, JsonNode> after =
          ChartObjects.byKindAndName(
              CHART.template(values, Map.of("services.workflow.image.tag", "v1.2.3")));
      assertThat(after.keySet()).isEqualTo(before.keySet());
      Set<String> changed = new TreeSet<>();
      before.forEach(
          (key, object) -> {
            if (!object.equals(after.get(key))) {
              changed.add(key);
            }
          });
      assertThat(changed).as("values %s", values).containsExactly("Deployment/workflow-service");
      assertThat(
              ChartObjects.container(after.get("Deployment/workflow-service"))
                  .path("image")
                  .asText())
          .isEqualTo("ghcr.io/linkflow/workflow-service:v1.2.3");
    }
  }

  @Test
  void imagesFollowRegistryRepositoryAndTagConventions() {
    Map<String, JsonNode> objects = ChartObjects.byKindAndName(CHART.template());
    for (String name : ChartObjects.SERVICES) {
      assertThat(
              ChartObjects.container(objects.get("Deployment/" + name + "-service"))
                  .path("image")
                  .asText())
          .isEqualTo("ghcr.io/linkflow/" + name + "-service:0.1.0");
    }
    Map<String, JsonNode> moved =
        ChartObjects.byKindAndName(
            CHART.template(
                List.of(),
                Map.of(
                    "global.imageRegistry", "registry.example.com", "global.imageTag", "2.0.0")));
    assertThat(ChartObjects.container(moved.get("Deployment/auth-service")).path("image").asText())
        .isEqualTo("registry.example.com/linkflow/auth-service:2.0.0");
  }

  @Test
  void disablingAServiceRemovesAllItsObjects() {
    Map<String, JsonNode> objects =
        ChartObjects.byKindAndName(
            CHART.template(List.of(), Map.of("services.billing.enabled", "false")));
    assertThat(objects.keySet()).noneMatch(k -> k.endsWith("/billing-service"));
    assertThat(objects).containsKey("Deployment/audit-service");
  }
}
