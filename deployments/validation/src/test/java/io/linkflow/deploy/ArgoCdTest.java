package io.linkflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** argocd/: the project and Applications point at this repository's real paths and kinds. */
class ArgoCdTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path ROOT = HelmChart.repositoryRoot();

  @Test
  void applicationsSyncExistingPathsOfThisRepositoryAutomatically() throws IOException {
    JsonNode project = read("argocd/project.yaml").get(0);
    Set<String> repos = new TreeSet<>();
    project.path("spec").path("sourceRepos").forEach(r -> repos.add(r.asText()));
    List<JsonNode> destinations = new ArrayList<>();
    project.path("spec").path("destinations").forEach(destinations::add);

    Map<String, JsonNode> applications = new TreeMap<>();
    for (Path file : yamlFiles(ROOT.resolve("argocd"))) {
      for (JsonNode object : read(ROOT.relativize(file).toString())) {
        if (object.path("kind").asText().equals("Application")) {
          applications.put(object.path("metadata").path("name").asText(), object);
        }
      }
    }
    assertThat(applications)
        .containsKeys("linkflow-production", "linkflow-staging", "linkflow-mesh", "linkflow-edge");
    assertThat(
            applications
                .get("linkflow-production")
                .path("spec")
                .path("source")
                .path("path")
                .asText())
        .isEqualTo("deployments/k8s/overlays/production");
    applications.forEach(
        (name, app) -> {
          JsonNode spec = app.path("spec");
          assertThat(spec.path("project").asText()).isEqualTo("linkflow");
          JsonNode source = spec.path("source");
          assertThat(repos).as(name).contains(source.path("repoURL").asText());
          assertThat(source.path("targetRevision").asText()).as(name).isEqualTo("main");
          assertThat(ROOT.resolve(source.path("path").asText()).resolve("kustomization.yaml"))
              .as(name)
              .isRegularFile();
          JsonNode sync = spec.path("syncPolicy");
          assertThat(sync.path("automated").path("prune").asBoolean()).as(name).isTrue();
          assertThat(sync.path("automated").path("selfHeal").asBoolean()).as(name).isTrue();
          assertThat(sync.path("syncOptions").toString()).as(name).contains("CreateNamespace=true");
          assertThat(sync.path("retry").path("limit").asInt()).as(name).isPositive();
          JsonNode destination = spec.path("destination");
          assertThat(destination.path("namespace").asText()).isEqualTo(HelmChart.NAMESPACE);
          assertThat(destinations)
              .as("%s's destination is allowed by the project", name)
              .anySatisfy(
                  d -> {
                    assertThat(d.path("namespace").asText())
                        .isEqualTo(destination.path("namespace").asText());
                    assertThat(d.path("server").asText(null))
                        .isEqualTo(destination.path("server").asText(null));
                    assertThat(d.path("name").asText(null))
                        .isEqualTo(destination.path("name").asText(null));
                  });
        });
  }

  /**
   * The project's whitelists are exactly the kinds the chart, the namespace, istio/ and kong/
   * contain (kong/'s kustomization adds a generated ConfigMap, a kind the chart has too).
   */
  @Test
  void projectWhitelistsExactlyTheKindsDeployed() throws IOException {
    Set<String> used = new TreeSet<>();
    for (K8sRender.Document d : K8sRender.documents(HelmChart.linkflow().template())) {
      used.add(groupKind(d.object()));
    }
    for (String dir : List.of("deployments/k8s/namespace", "istio", "kong")) {
      for (Path file : yamlFiles(ROOT.resolve(dir))) {
        for (JsonNode object : read(ROOT.relativize(file).toString())) {
          if (!object.path("kind").asText().equals("Kustomization")) {
            used.add(groupKind(object));
          }
        }
      }
    }
    JsonNode spec = read("argocd/project.yaml").get(0).path("spec");
    Set<String> whitelisted = new TreeSet<>();
    Set<String> clusterScoped = new TreeSet<>();
    spec.path("namespaceResourceWhitelist")
        .forEach(k -> whitelisted.add(k.path("group").asText() + "/" + k.path("kind").asText()));
    spec.path("clusterResourceWhitelist")
        .forEach(k -> clusterScoped.add(k.path("group").asText() + "/" + k.path("kind").asText()));
    assertThat(clusterScoped).containsExactly("/Namespace");
    whitelisted.addAll(clusterScoped);
    assertThat(whitelisted).isEqualTo(used);
  }

  private static String groupKind(JsonNode object) {
    String apiVersion = object.path("apiVersion").asText();
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    return group + "/" + object.path("kind").asText();
  }

  private static List<Path> yamlFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  private static List<JsonNode> read(String file) throws IOException {
    List<JsonNode> objects = new ArrayList<>();
    try (var it = YAML.readerFor(JsonNode.class).readValues(ROOT.resolve(file).toFile())) {
      while (it.hasNext()) {
        JsonNode node = (JsonNode) it.next();
        if (node != null && !node.isNull() && !node.isMissingNode()) {
          objects.add(node);
        }
      }
    }
    return objects;
  }
}
