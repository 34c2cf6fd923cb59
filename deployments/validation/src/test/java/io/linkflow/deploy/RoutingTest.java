package io.linkflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The two routing tables agree with each other and with the cluster: kong/kong.yml and istio/ route
 * the same public path prefixes to the same services, every destination exists as a Service with
 * that port, the workflow canary is 95/5 with {@code x-canary: true} forcing v2, and every
 * DestinationRule has the circuit breaker.
 */
class RoutingTest {

  private static final List<Manifest> ISTIO = Mesh.istio();
  private static final List<Manifest> VIRTUAL_SERVICES =
      DeploymentFiles.ofKind(ISTIO, "VirtualService");

  /** What the cluster runs: the production overlay plus Kong (kong/). */
  private static List<Manifest> cluster() {
    List<Manifest> all = new ArrayList<>(DeploymentFiles.built(DeploymentFiles.PRODUCTION));
    all.addAll(DeploymentFiles.built(java.nio.file.Path.of("kong")));
    return all;
  }

  @Test
  void kongAndIstioRouteTheSamePrefixesToTheSameServices() {
    Set<String> kong = new TreeSet<>();
    for (Mesh.KongRoute route : Mesh.kongRoutes()) {
      kong.add(route.path() + " -> " + route.service());
    }
    Set<String> istio = new TreeSet<>();
    for (Mesh.IstioRoute route :
        Mesh.prefixRoutes(
            VIRTUAL_SERVICES.stream().filter(vs -> !Mesh.isGatewayBound(vs)).toList())) {
      Set<String> services = new TreeSet<>();
      route.hosts().forEach(h -> services.add(Mesh.serviceOfHost(h)));
      assertThat(services)
          .as(
              "%s, http[%d] (prefix %s) sends to several services %s; one prefix, one service",
              route.virtualService(), route.index(), route.prefix(), services)
          .hasSize(1);
      istio.add(route.prefix() + " -> " + services.iterator().next());
    }
    assertThat(istio)
        .as(
            "prefix -> service of the sidecar VirtualServices (istio/virtual-service.yaml) must"
                + " equal the routes of kong/kong.yml; add the missing route to the file that"
                + " lacks it")
        .containsExactlyInAnyOrderElementsOf(kong);
  }

  @Test
  void theIngressGatewayAdmitsExactlyKongsPathsAndSendsThemToKong() {
    List<Manifest> edge = VIRTUAL_SERVICES.stream().filter(Mesh::isGatewayBound).toList();
    assertThat(edge).as("a VirtualService bound to the ingress Gateway (istio/)").isNotEmpty();
    Set<String> admitted = new TreeSet<>();
    Set<String> targets = new TreeSet<>();
    for (Mesh.IstioRoute route : Mesh.prefixRoutes(edge)) {
      admitted.add(route.prefix());
      route.hosts().forEach(h -> targets.add(Mesh.serviceOfHost(h)));
    }
    Set<String> kongPaths = new TreeSet<>();
    Mesh.kongRoutes().forEach(r -> kongPaths.add(r.path()));
    assertThat(admitted)
        .as("path prefixes the gateway admits (istio/virtual-service.yaml) vs kong/kong.yml paths")
        .containsExactlyInAnyOrderElementsOf(kongPaths);
    // Every one of them goes to Kong, which applies the API plugins (rate limits, JWT, CORS, …).
    Set<String> kongServices = new TreeSet<>();
    for (Manifest m : DeploymentFiles.built(java.nio.file.Path.of("kong"))) {
      if (m.kind().equals("Service")) {
        kongServices.add(m.name());
      }
    }
    assertThat(kongServices).as("Services of kong/").containsAll(targets);
  }

  @Test
  void everyKongServiceUrlIsItsKubernetesServiceOnPort8080() {
    for (Mesh.KongRoute route : Mesh.kongRoutes()) {
      assertThat(route.url())
          .as("kong/kong.yml service %s: url", route.service())
          .isEqualTo("http://" + route.service() + Mesh.CLUSTER_SUFFIX + ":8080");
      assertThat(route.path())
          .as("kong/kong.yml route %s: internal paths are never public", route.route())
          .doesNotStartWith("/internal")
          .doesNotStartWith("/health")
          .doesNotStartWith("/metrics");
    }
  }

  @Test
  void everyIstioDestinationIsAServiceWithThatPort() {
    Map<String, Set<Integer>> ports = new TreeMap<>();
    for (Manifest m : cluster()) {
      if (m.kind().equals("Service")) {
        Set<Integer> p = ports.computeIfAbsent(m.name(), n -> new TreeSet<>());
        m.object().path("spec").path("ports").forEach(port -> p.add(port.path("port").asInt()));
      }
    }
    List<String> problems = new ArrayList<>();
    for (Manifest vs : VIRTUAL_SERVICES) {
      for (JsonNode http : vs.object().path("spec").path("http")) {
        for (JsonNode route : http.path("route")) {
          JsonNode destination = route.path("destination");
          String host = destination.path("host").asText();
          String service = Mesh.serviceOfHost(host);
          if (!host.equals(service + Mesh.CLUSTER_SUFFIX) && !host.equals(service)) {
            problems.add(vs + ": host " + host + " is outside the linkflow namespace");
          } else if (!ports.containsKey(service)) {
            problems.add(
                vs + ": destination " + host + " is no Service of the production overlay or kong/");
          } else if (destination.has("port")
              && !ports.get(service).contains(destination.path("port").path("number").asInt())) {
            problems.add(
                vs
                    + ": destination "
                    + host
                    + " port "
                    + destination.path("port").path("number").asInt()
                    + ", but the Service has "
                    + ports.get(service));
          }
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  /** Istio takes the first matching route: a prefix after a shorter one it starts with is dead. */
  @Test
  void noPrefixRouteIsShadowedByAnEarlierOne() {
    List<String> shadowed = new ArrayList<>();
    for (Manifest vs : VIRTUAL_SERVICES) {
      List<Mesh.IstioRoute> routes = Mesh.prefixRoutes(List.of(vs));
      JsonNode http = vs.object().path("spec").path("http");
      for (Mesh.IstioRoute later : routes) {
        for (Mesh.IstioRoute earlier : routes) {
          boolean earlierMatchesOnlyByUri =
              http.get(earlier.index()).path("match").size() > 0
                  && onlyUriMatches(http.get(earlier.index()));
          if (earlier.index() < later.index()
              && earlierMatchesOnlyByUri
              && Mesh.prefixCovers(earlier.prefix(), later.prefix())) {
            shadowed.add(
                vs
                    + ": http["
                    + later.index()
                    + "] prefix "
                    + later.prefix()
                    + " is never reached: http["
                    + earlier.index()
                    + "] prefix "
                    + earlier.prefix()
                    + " matches first (put the longer prefix first)");
          }
        }
      }
    }
    assertThat(shadowed).isEmpty();
  }

  private static boolean onlyUriMatches(JsonNode http) {
    for (JsonNode match : http.path("match")) {
      Set<String> keys = new TreeSet<>();
      match.fieldNames().forEachRemaining(keys::add);
      keys.remove("name");
      if (!keys.equals(Set.of("uri"))) {
        return false;
      }
    }
    return true;
  }

  @Test
  void workflowCanaryIs95To5AndXCanaryForcesV2() {
    Manifest vs =
        VIRTUAL_SERVICES.stream()
            .filter(v -> !Mesh.isGatewayBound(v))
            .filter(
                v -> {
                  for (JsonNode h : v.object().path("spec").path("hosts")) {
                    if (Mesh.serviceOfHost(h.asText()).equals("workflow-service")) {
                      return true;
                    }
                  }
                  return false;
                })
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("no VirtualService for workflow-service in istio/"));
    JsonNode http = vs.object().path("spec").path("http");
    int forced = -1;
    int workflows = -1;
    for (int i = 0; i < http.size(); i++) {
      for (JsonNode match : http.get(i).path("match")) {
        if (match.path("headers").path("x-canary").path("exact").asText("").equals("true")) {
          forced = forced < 0 ? i : forced;
        } else if (match.path("uri").path("prefix").asText("").equals("/api/v1/workflows")) {
          workflows = workflows < 0 ? i : workflows;
        }
      }
    }
    assertThat(forced).as(vs + ": a route matching header x-canary exact \"true\"").isNotNegative();
    assertThat(workflows).as(vs + ": a route for prefix /api/v1/workflows").isNotNegative();
    assertThat(forced)
        .as(vs + ": the x-canary route must come before the weighted /api/v1/workflows route")
        .isLessThan(workflows);
    assertThat(weightsBySubset(http.get(forced)))
        .as(vs + ": x-canary: true goes to subset v2 only")
        .isEqualTo(Map.of("v2", 100));
    assertThat(weightsBySubset(http.get(workflows)))
        .as(vs + ": /api/v1/workflows split")
        .isEqualTo(Map.of("v1", 95, "v2", 5));
  }

  /** subset → weight of a route (a single destination without weight gets 100). */
  private static Map<String, Integer> weightsBySubset(JsonNode http) {
    Map<String, Integer> weights = new TreeMap<>();
    JsonNode route = http.path("route");
    for (JsonNode destination : route) {
      int weight =
          destination.has("weight")
              ? destination.path("weight").asInt()
              : (route.size() == 1 ? 100 : 0);
      weights.merge(
          destination.path("destination").path("subset").asText("(none)"), weight, Integer::sum);
    }
    return weights;
  }

  @Test
  void everyRoutedSubsetExistsAndSelectsPods() {
    Map<String, JsonNode> subsets = new TreeMap<>();
    for (Manifest dr : DeploymentFiles.ofKind(ISTIO, "DestinationRule")) {
      String service = Mesh.serviceOfHost(dr.object().path("spec").path("host").asText());
      for (JsonNode subset : dr.object().path("spec").path("subsets")) {
        subsets.put(service + "/" + subset.path("name").asText(), subset.path("labels"));
      }
    }
    List<Manifest> cluster = cluster();
    List<String> problems = new ArrayList<>();
    for (Manifest vs : VIRTUAL_SERVICES) {
      for (JsonNode http : vs.object().path("spec").path("http")) {
        for (JsonNode route : http.path("route")) {
          JsonNode destination = route.path("destination");
          if (!destination.has("subset")) {
            continue;
          }
          String service = Mesh.serviceOfHost(destination.path("host").asText());
          String key = service + "/" + destination.path("subset").asText();
          JsonNode labels = subsets.get(key);
          if (labels == null) {
            problems.add(vs + ": subset " + key + " is in no DestinationRule of istio/");
          } else if (!selectsPods(cluster, service, labels)) {
            problems.add(
                vs
                    + ": subset "
                    + key
                    + " (labels "
                    + labels
                    + ") selects no pod of Service "
                    + service
                    + " in the production overlay");
          }
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  /** Whether some Deployment's pods are selected by both the Service and the subset's labels. */
  private static boolean selectsPods(List<Manifest> cluster, String service, JsonNode labels) {
    Manifest svc = DeploymentFiles.find(cluster, "Service", service);
    if (svc == null) {
      return false;
    }
    for (Manifest deployment : DeploymentFiles.ofKind(cluster, "Deployment")) {
      JsonNode podLabels =
          deployment.object().path("spec").path("template").path("metadata").path("labels");
      if (contains(podLabels, svc.object().path("spec").path("selector"))
          && contains(podLabels, labels)) {
        return true;
      }
    }
    return false;
  }

  private static boolean contains(JsonNode labels, JsonNode required) {
    for (Map.Entry<String, JsonNode> e : required.properties()) {
      if (!labels.path(e.getKey()).asText("\u0000").equals(e.getValue().asText())) {
        return false;
      }
    }
    return true;
  }

  @Test
  void everyDestinationRuleHasTheCircuitBreakerAndTheV1V2Subsets() {
    List<Manifest> rules = DeploymentFiles.ofKind(ISTIO, "DestinationRule");
    Set<String> services = new TreeSet<>();
    for (Manifest dr : rules) {
      JsonNode spec = dr.object().path("spec");
      services.add(Mesh.serviceOfHost(spec.path("host").asText()));
      JsonNode outlier = spec.path("trafficPolicy").path("outlierDetection");
      Map<String, String> actual = new TreeMap<>();
      for (String field :
          List.of("consecutive5xxErrors", "interval", "baseEjectionTime", "maxEjectionPercent")) {
        actual.put(field, outlier.path(field).asText("(missing)"));
      }
      assertThat(actual)
          .as(dr + ": spec.trafficPolicy.outlierDetection")
          .isEqualTo(
              Map.of(
                  "consecutive5xxErrors", "5",
                  "interval", "30s",
                  "baseEjectionTime", "30s",
                  "maxEjectionPercent", "50"));
      Map<String, String> subsets = new TreeMap<>();
      spec.path("subsets")
          .forEach(
              s -> subsets.put(s.path("name").asText(), s.path("labels").path("version").asText()));
      assertThat(subsets)
          .as(dr + ": subsets by pod label version")
          .isEqualTo(Map.of("v1", "v1", "v2", "v2"));
    }
    Set<String> expected = new TreeSet<>();
    DeploymentFiles.services().forEach(s -> expected.add(s + "-service"));
    assertThat(services).as("hosts of the DestinationRules in istio/").containsAll(expected);
  }
}
