package io.linkflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tools under the checks: the kustomize version gate and the YAML reader's refusals. */
class KustomizeAndManifestsTest {

  @Test
  void kustomizeOlderThanV4IsRefusedWithWhatToInstall() {
    assertThat(Kustomize.checked(List.of("kubectl", "kustomize"), "v5.5.0", "kubectl").version())
        .isEqualTo("v5.5.0");
    assertThatThrownBy(
            () -> Kustomize.checked(List.of("kubectl", "kustomize"), "v2.0.3", "kubectl"))
        .hasMessageContaining("older than v4")
        .hasMessageContaining("install kubectl 1.21+");
    // kubectl 1.20 (Debian's kubernetes-client) prints no kustomizeVersion at all
    assertThatThrownBy(
            () ->
                Kustomize.checked(
                    List.of("kubectl", "kustomize"),
                    Kustomize.kustomizeVersionOfKubectl(
                        "{\"clientVersion\":{\"gitVersion\":\"v1.20.2\"}}"),
                    "kubectl"))
        .hasMessageContaining("reports no kustomize version");
    assertThat(
            Kustomize.kustomizeVersionOfKubectl(
                "{\"clientVersion\":{},\"kustomizeVersion\":\"v5.5.0\"}"))
        .isEqualTo("v5.5.0");
  }

  @Test
  void theRepositorysKustomizeBuildsAndFailuresNameTheDirectory() {
    Kustomize kustomize = DeploymentFiles.kustomize();
    assertThat(
            kustomize.manifests(
                DeploymentFiles.ROOT, DeploymentFiles.ROOT.resolve("deployments/k8s/namespace")))
        .extracting(Manifest::id)
        .containsExactly("Namespace linkflow");
    Path nowhere = DeploymentFiles.ROOT.resolve("deployments/validation/src");
    assertThatThrownBy(() -> kustomize.build(nowhere))
        .hasMessageContaining("kustomize")
        .hasMessageContaining(nowhere.toString());
  }

  @Test
  void duplicateKeysAndNonObjectsAreRefusedWithTheSource() {
    assertThatThrownBy(
            () ->
                Manifests.parse(
                    """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: a
                      name: b
                    """,
                    "x.yaml"))
        .hasMessageContaining("x.yaml")
        .hasMessageContaining("Duplicate field 'name'");
    assertThatThrownBy(() -> Manifests.parse("---\nfoo: bar\n", "y.yaml"))
        .hasMessageContaining("y.yaml: document 1 is not a Kubernetes object");
    assertThat(
            Manifests.parse(
                "---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n", "z.yaml"))
        .extracting(Manifest::describe)
        .containsExactly("v1 ConfigMap a (from z.yaml)");
  }
}
