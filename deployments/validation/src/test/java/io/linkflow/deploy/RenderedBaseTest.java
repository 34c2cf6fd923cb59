package io.linkflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** deployments/k8s/base and kafka/ are the chart's current rendering (make k8s-render). */
class RenderedBaseTest {

  @Test
  void committedBaseEqualsAFreshRendering() throws IOException {
    Path root = HelmChart.repositoryRoot();
    Map<Path, String> expected = K8sRender.render(HelmChart.linkflow());
    assertThat(K8sRender.generatedFilesOnDisk(root))
        .as(
            "the generated files in %s and %s; run make k8s-render",
            K8sRender.BASE, K8sRender.KAFKA)
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (Map.Entry<Path, String> file : expected.entrySet()) {
      assertThat(Files.readString(root.resolve(file.getKey())))
          .as("%s differs from the chart's rendering; run make k8s-render", file.getKey())
          .isEqualTo(file.getValue());
    }
  }

  @Test
  void everyServiceHasItsOwnFileAndTheKustomizationListsEveryFile() {
    Map<Path, String> files = K8sRender.render(HelmChart.linkflow());
    String kustomization = files.get(K8sRender.BASE.resolve("kustomization.yaml"));
    for (String service : ChartObjects.SERVICES) {
      Path file = K8sRender.BASE.resolve(service + "-service.yaml");
      assertThat(files).containsKey(file);
      assertThat(files.get(file))
          .contains("kind: Deployment\n", "kind: Service\n", "name: " + service + "-service\n");
    }
    files.keySet().stream()
        .filter(f -> f.startsWith(K8sRender.BASE) && !f.endsWith("kustomization.yaml"))
        .forEach(f -> assertThat(kustomization).contains("  - " + f.getFileName() + "\n"));
    assertThat(kustomization).contains("  - ../../../kafka\n");
  }
}
