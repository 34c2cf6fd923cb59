package io.linkflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every service of {@code services/} is deployed completely: Deployment, Service, ServiceAccount
 * and PodDisruptionBudget in the chart and both overlays, with the labels and selectors of the
 * conventions; an Istio VirtualService and DestinationRule; and a Kong route for its public API
 * unless it has none — and every JAX-RS {@code /api/…} path of a service is under one of its Kong
 * routes.
 */
class ServiceCoverageTest {

  private static final Pattern API_PATH = Pattern.compile("@Path\\(\"(/api/[^\"]*)\"\\)");

  @Test
  void theServicesAreTheSixteenOfTheArchitecture() {
    // Read from services/, not written down here; this only guards against an empty directory.
    assertThat(DeploymentFiles.services()).hasSize(16).contains("auth", "executor", "billing");
  }

  @TestFactory
  Stream<DynamicTest> everyServiceHasItsObjects() {
    Map<String, List<Manifest>> sources = new TreeMap<>();
    sources.put("helm template (default values)", DeploymentFiles.chart());
    sources.put(
        "kubectl kustomize " + DeploymentFiles.PRODUCTION,
        DeploymentFiles.built(DeploymentFiles.PRODUCTION));
    sources.put(
        "kubectl kustomize " + DeploymentFiles.STAGING,
        DeploymentFiles.built(DeploymentFiles.STAGING));
    return sources.entrySet().stream()
        .map(
            source ->
                DynamicTest.dynamicTest(
                    source.getKey(),
                    () -> {
                      List<String> problems = new ArrayList<>();
                      for (String service : DeploymentFiles.services()) {
                        problems.addAll(objectsOf(service, source.getValue()));
                      }
                      assertThat(problems).as(source.getKey()).isEmpty();
                    }));
  }

  private static List<String> objectsOf(String service, List<Manifest> manifests) {
    String name = service + "-service";
    List<String> problems = new ArrayList<>();
    Map<String, String> selector = Map.of("app.kubernetes.io/name", name, "app", name);
    for (String kind : List.of("Deployment", "Service", "ServiceAccount", "PodDisruptionBudget")) {
      Manifest m = DeploymentFiles.find(manifests, kind, name);
      if (m == null) {
        problems.add("no " + kind + " " + name);
        continue;
      }
      if (!m.namespace().equals("linkflow")) {
        problems.add(m + ": namespace must be linkflow");
      }
      if (!m.labels().entrySet().containsAll(selector.entrySet())) {
        problems.add(m + ": labels must include " + selector);
      }
    }
    Manifest deployment = DeploymentFiles.find(manifests, "Deployment", name);
    if (deployment != null) {
      JsonNode spec = deployment.object().path("spec");
      Map<String, String> pod = labels(spec.path("template").path("metadata").path("labels"));
      Map<String, String> expected =
          Map.of(
              "app", name,
              "version", "v1",
              "app.kubernetes.io/name", name,
              "app.kubernetes.io/part-of", "linkflow",
              "app.kubernetes.io/component", service);
      if (!pod.entrySet().containsAll(expected.entrySet())) {
        problems.add(deployment + ": pod labels " + pod + " must include " + expected);
      }
      Map<String, String> matchLabels = labels(spec.path("selector").path("matchLabels"));
      if (!pod.entrySet().containsAll(matchLabels.entrySet())
          || !matchLabels.entrySet().containsAll(selector.entrySet())) {
        problems.add(
            deployment
                + ": selector "
                + matchLabels
                + " must include "
                + selector
                + " and match the pod labels");
      }
      String account = spec.path("template").path("spec").path("serviceAccountName").asText();
      if (!account.equals(name)) {
        problems.add(deployment + ": serviceAccountName is '" + account + "', expected " + name);
      }
    }
    Manifest svc = DeploymentFiles.find(manifests, "Service", name);
    if (svc != null) {
      if (!labels(svc.object().path("spec").path("selector")).equals(selector)) {
        problems.add(svc + ": selector must be exactly " + selector + " (so it spans v1 and v2)");
      }
      JsonNode ports = svc.object().path("spec").path("ports");
      boolean http = false;
      for (JsonNode port : ports) {
        http |=
            port.path("name").asText().equals("http")
                && port.path("port").asInt() == 8080
                && (port.path("targetPort").asText().equals("http")
                    || port.path("targetPort").asInt() == 8080);
      }
      if (!http) {
        problems.add(svc + ": needs port 8080 named http targeting the container port http");
      }
    }
    Manifest pdb = DeploymentFiles.find(manifests, "PodDisruptionBudget", name);
    if (pdb != null
        && !labels(pdb.object().path("spec").path("selector").path("matchLabels"))
            .equals(selector)) {
      problems.add(pdb + ": selector must be exactly " + selector);
    }
    return problems;
  }

  private static Map<String, String> labels(JsonNode node) {
    Map<String, String> labels = new TreeMap<>();
    node.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  @Test
  void everyServiceHasAnIstioVirtualServiceAndDestinationRule() {
    List<Manifest> istio = Mesh.istio();
    Set<String> routed = new TreeSet<>();
    for (Manifest vs : DeploymentFiles.ofKind(istio, "VirtualService")) {
      if (!Mesh.isGatewayBound(vs)) {
        vs.object()
            .path("spec")
            .path("hosts")
            .forEach(h -> routed.add(Mesh.serviceOfHost(h.asText())));
      }
    }
    Set<String> ruled = new TreeSet<>();
    for (Manifest dr : DeploymentFiles.ofKind(istio, "DestinationRule")) {
      ruled.add(Mesh.serviceOfHost(dr.object().path("spec").path("host").asText()));
    }
    for (String service : DeploymentFiles.services()) {
      assertThat(routed)
          .as("istio/virtual-service.yaml: a VirtualService for host %s-service", service)
          .contains(service + "-service");
      assertThat(ruled)
          .as("istio/destination-rule.yaml: a DestinationRule for host %s-service", service)
          .contains(service + "-service");
    }
  }

  /**
   * A service is left out of kong/kong.yml only when it has no public API: no JAX-RS {@code /api/…}
   * path in its sources (executor-service). Every such path of a routed service is under one of its
   * own Kong routes.
   */
  @Test
  void kongRoutesEveryPublicApiAndNothingElse() {
    Map<String, List<String>> kongPrefixes = new TreeMap<>();
    for (Mesh.KongRoute route : Mesh.kongRoutes()) {
      kongPrefixes.computeIfAbsent(route.service(), s -> new ArrayList<>()).add(route.path());
    }
    List<String> problems = new ArrayList<>();
    List<String> withoutRoute = new ArrayList<>();
    for (String service : DeploymentFiles.services()) {
      String name = service + "-service";
      Set<String> apiPaths = apiPaths(name);
      List<String> prefixes = kongPrefixes.getOrDefault(name, List.of());
      if (prefixes.isEmpty()) {
        withoutRoute.add(name);
        if (!apiPaths.isEmpty()) {
          problems.add(
              name
                  + " serves "
                  + apiPaths
                  + " but kong/kong.yml has no service "
                  + name
                  + " routing it");
        }
        continue;
      }
      for (String path : apiPaths) {
        if (prefixes.stream().noneMatch(p -> path.equals(p) || path.startsWith(p + "/"))) {
          problems.add(
              name
                  + " serves "
                  + path
                  + ", which no kong/kong.yml route of "
                  + name
                  + " "
                  + prefixes
                  + " covers");
        }
      }
    }
    for (String service : kongPrefixes.keySet()) {
      if (!DeploymentFiles.services().contains(service.replaceFirst("-service$", ""))) {
        problems.add("kong/kong.yml routes to " + service + ", which is not in services/");
      }
    }
    assertThat(problems).isEmpty();
    // executor-service is a worker: it must stay without a public API, and so without a route.
    assertThat(withoutRoute).containsExactly("executor-service");
    assertThat(apiPaths("executor-service")).isEmpty();
  }

  /** The {@code @Path("/api/…")} values in a service's main sources. */
  static Set<String> apiPaths(String serviceDir) {
    Set<String> paths = new TreeSet<>();
    Path sources =
        DeploymentFiles.ROOT.resolve("services").resolve(serviceDir).resolve("src/main/java");
    if (!Files.isDirectory(sources)) {
      return paths; // a service without Java code yet (its API arrives with its issue)
    }
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = API_PATH.matcher(Files.readString(file));
        while (m.find()) {
          paths.add(m.group(1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return paths;
  }
}
