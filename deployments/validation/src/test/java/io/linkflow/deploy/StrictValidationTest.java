package io.linkflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every object LinkFlow deploys parses strictly against its schema (Kubernetes, Istio, KEDA,
 * Strimzi, Argo CD, Prometheus Operator): the chart with its default, staging and production
 * values, every kustomize directory of the repository and every object file of istio/, kafka/,
 * argocd/ and kong/. A misspelt field, a wrong type or an unknown kind fails with the object, its
 * source and the JSON path.
 */
class StrictValidationTest {

  @Test
  void kustomizeIsRecentEnough() {
    // Kustomize.find() fails with what to install when kubectl/kustomize is missing or too old.
    assertThat(DeploymentFiles.kustomize().version()).matches("v?([4-9]|[1-9][0-9])\\..*");
  }

  @Test
  void theOverlaysAndTheBaseAreAmongTheKustomizationsFound() {
    assertThat(DeploymentFiles.kustomizations())
        .contains(DeploymentFiles.PRODUCTION, DeploymentFiles.STAGING, DeploymentFiles.BASE);
  }

  @TestFactory
  Stream<DynamicTest> everyKustomizationBuildsIntoValidObjects() {
    return DeploymentFiles.kustomizations().stream()
        .map(
            dir ->
                DynamicTest.dynamicTest(
                    "kubectl kustomize " + dir,
                    () -> assertValid(DeploymentFiles.built(dir), "kubectl kustomize " + dir)));
  }

  @TestFactory
  Stream<DynamicTest> everyObjectFileIsValid() {
    Map<Path, List<Manifest>> files = DeploymentFiles.objectFiles();
    assertThat(files).isNotEmpty();
    return files.entrySet().stream()
        .map(
            e ->
                DynamicTest.dynamicTest(
                    e.getKey().toString(), () -> assertValid(e.getValue(), e.getKey().toString())));
  }

  @Test
  void theChartRendersValidObjects() {
    assertValid(DeploymentFiles.chart(), "helm template (default values)");
  }

  @TestFactory
  Stream<DynamicTest> theChartRendersValidObjectsWithEveryValuesFile() {
    return Stream.of("values-staging.yaml", "values-production.yaml")
        .map(
            file ->
                DynamicTest.dynamicTest(
                    "helm template -f helm/linkflow/" + file,
                    () -> {
                      HelmChart chart = HelmChart.linkflow();
                      String source = "helm template linkflow helm/linkflow -f " + file;
                      assertValid(
                          Manifests.parse(
                              chart.template(List.of(chart.dir().resolve(file)), Map.of()), source),
                          source);
                    }));
  }

  private static void assertValid(List<Manifest> manifests, String source) {
    assertThat(manifests).as("objects of " + source).isNotEmpty();
    List<String> violations = new ArrayList<>();
    for (Manifest manifest : manifests) {
      violations.addAll(StrictSchema.validate(manifest));
    }
    assertThat(violations)
        .as(
            "%s: %d object(s) do not match their schema; fix the file named in each line (for a"
                + " chart template: helm/linkflow/templates, then `make k8s-render`)",
            source, violations.size())
        .isEmpty();
  }
}
