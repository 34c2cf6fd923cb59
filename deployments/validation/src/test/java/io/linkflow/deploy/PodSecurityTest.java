package io.linkflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Security by default for every workload LinkFlow ships (the overlays, kong/ and the chart):
 * non-root, no privilege escalation, read-only root filesystem, all capabilities dropped, seccomp
 * RuntimeDefault, resource requests and limits, and secrets only by reference.
 */
class PodSecurityTest {

  private static final Set<String> WORKLOADS =
      Set.of("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob");

  @Test
  void everyContainerRunsLockedDown() {
    List<String> problems = new ArrayList<>();
    for (Path dir : List.of(DeploymentFiles.PRODUCTION, DeploymentFiles.STAGING, Path.of("kong"))) {
      for (Manifest m : DeploymentFiles.built(dir)) {
        if (WORKLOADS.contains(m.kind())) {
          problems.addAll(check(m));
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  private static List<String> check(Manifest workload) {
    JsonNode template = workload.object().path("spec").path("template");
    if (workload.kind().equals("CronJob")) {
      template = workload.object().path("spec").path("jobTemplate").path("spec").path("template");
    }
    JsonNode pod = template.path("spec");
    JsonNode podSecurity = pod.path("securityContext");
    List<String> problems = new ArrayList<>();
    List<JsonNode> containers = new ArrayList<>();
    pod.path("initContainers").forEach(containers::add);
    pod.path("containers").forEach(containers::add);
    for (JsonNode c : containers) {
      String where = workload + ", container " + c.path("name").asText() + ": ";
      JsonNode sc = c.path("securityContext");
      if (!(sc.path("runAsNonRoot").asBoolean(false)
          || podSecurity.path("runAsNonRoot").asBoolean(false))) {
        problems.add(where + "runAsNonRoot: true (container or pod securityContext)");
      }
      if (sc.path("runAsUser").asInt(-1) == 0
          || (sc.path("runAsUser").isMissingNode()
              && podSecurity.path("runAsUser").asInt(-1) == 0)) {
        problems.add(where + "runs as user 0");
      }
      if (!sc.path("allowPrivilegeEscalation").isBoolean()
          || sc.path("allowPrivilegeEscalation").asBoolean()) {
        problems.add(where + "allowPrivilegeEscalation: false");
      }
      if (!sc.path("readOnlyRootFilesystem").asBoolean(false)) {
        problems.add(where + "readOnlyRootFilesystem: true (mount an emptyDir where it writes)");
      }
      if (sc.path("privileged").asBoolean(false)) {
        problems.add(where + "privileged");
      }
      boolean dropsAll = false;
      for (JsonNode cap : sc.path("capabilities").path("drop")) {
        dropsAll |= cap.asText().equals("ALL");
      }
      if (!dropsAll) {
        problems.add(where + "capabilities.drop: [ALL]");
      }
      String seccomp =
          sc.path("seccompProfile")
              .path("type")
              .asText(podSecurity.path("seccompProfile").path("type").asText(""));
      if (!seccomp.equals("RuntimeDefault") && !seccomp.equals("Localhost")) {
        problems.add(where + "seccompProfile.type: RuntimeDefault (container or pod)");
      }
      for (String kind : List.of("requests", "limits")) {
        JsonNode r = c.path("resources").path(kind);
        if (!r.has("cpu") && !kind.equals("limits") || !r.has("memory")) {
          problems.add(
              where
                  + "resources."
                  + kind
                  + " needs memory"
                  + (kind.equals("requests") ? " and cpu" : ""));
        }
      }
      for (JsonNode env : c.path("env")) {
        String name = env.path("name").asText();
        if (env.has("value") && looksSecret(name) && !env.path("value").asText().isEmpty()) {
          problems.add(
              where
                  + "env "
                  + name
                  + " has a literal value; take it from a Secret (valueFrom.secretKeyRef)");
        }
      }
    }
    if (containers.isEmpty()) {
      problems.add(workload + ": no containers");
    }
    return problems;
  }

  private static boolean looksSecret(String name) {
    String n = name.toUpperCase(java.util.Locale.ROOT);
    for (String word :
        List.of("PASSWORD", "SECRET", "TOKEN", "PRIVATE_KEY", "MASTER_KEY", "ACCESS_KEY")) {
      // _PRIMARY and _ID name a key, not its value (LINKFLOW_CREDENTIAL_MASTER_KEY_PRIMARY=2)
      if (n.contains(word)
          && !n.endsWith("_FILE")
          && !n.endsWith("_URL")
          && !n.endsWith("_PRIMARY")
          && !n.endsWith("_ID")) {
        return true;
      }
    }
    return false;
  }

  @Test
  void secretsAreNeverInTheRepository() {
    List<String> problems = new ArrayList<>();
    for (Path dir : DeploymentFiles.kustomizations()) {
      for (Manifest m : DeploymentFiles.built(dir)) {
        if (m.kind().equals("Secret")) {
          problems.add(
              m.describe()
                  + ": a Secret with values in the repository; create it in the cluster (docs/operations.md) and reference it");
        }
      }
    }
    for (Manifest m : DeploymentFiles.chart()) {
      if (m.kind().equals("Secret")) {
        problems.add(m.describe() + ": the chart renders a Secret by default");
      }
    }
    assertThat(problems).isEmpty();
  }
}
