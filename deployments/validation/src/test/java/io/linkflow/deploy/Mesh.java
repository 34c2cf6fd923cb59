package io.linkflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The routing tables of the edge: kong/kong.yml (Kong DB-less, also the local :8000 edge) and the
 * Istio objects of istio/ (as {@code kubectl kustomize istio} builds them), reduced to what the
 * cross-checks compare: which path prefix goes to which service.
 */
final class Mesh {

  static final Path KONG = Path.of("kong/kong.yml");
  static final Path ISTIO = Path.of("istio");

  /**
   * The cluster domain part of an in-namespace host: {@code
   * auth-service.linkflow.svc.cluster.local}.
   */
  static final String CLUSTER_SUFFIX = ".linkflow.svc.cluster.local";

  private Mesh() {}

  /** A Kong route: its name, one of its paths and the Kong service (= Kubernetes Service) name. */
  record KongRoute(String route, String path, String service, String url) {}

  /** One prefix route of a VirtualService and the hosts of its destinations. */
  record IstioRoute(Manifest virtualService, int index, String prefix, List<String> hosts) {}

  static JsonNode kong() {
    try {
      return Manifests.YAML.readTree(Files.readString(DeploymentFiles.ROOT.resolve(KONG)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<KongRoute> kongRoutes() {
    List<KongRoute> routes = new ArrayList<>();
    for (JsonNode service : kong().path("services")) {
      for (JsonNode route : service.path("routes")) {
        for (JsonNode path : route.path("paths")) {
          routes.add(
              new KongRoute(
                  route.path("name").asText(),
                  path.asText(),
                  service.path("name").asText(),
                  service.path("url").asText()));
        }
      }
    }
    return routes;
  }

  static List<Manifest> istio() {
    return DeploymentFiles.built(ISTIO);
  }

  /** The Service name a mesh host denotes ({@code x.linkflow.svc.cluster.local}, {@code x}). */
  static String serviceOfHost(String host) {
    for (String suffix : List.of(CLUSTER_SUFFIX, ".linkflow.svc", ".linkflow")) {
      if (host.endsWith(suffix)) {
        return host.substring(0, host.length() - suffix.length());
      }
    }
    return host;
  }

  /** Whether the VirtualService is bound to an ingress Gateway (not only to the sidecars). */
  static boolean isGatewayBound(Manifest virtualService) {
    for (JsonNode gateway : virtualService.object().path("spec").path("gateways")) {
      if (!gateway.asText().equals("mesh")) {
        return true;
      }
    }
    return false;
  }

  /** Every {@code uri.prefix} match of the VirtualServices, with its route's destinations. */
  static List<IstioRoute> prefixRoutes(List<Manifest> virtualServices) {
    List<IstioRoute> routes = new ArrayList<>();
    for (Manifest vs : virtualServices) {
      JsonNode http = vs.object().path("spec").path("http");
      for (int i = 0; i < http.size(); i++) {
        List<String> hosts = new ArrayList<>();
        for (JsonNode destination : http.get(i).path("route")) {
          hosts.add(destination.path("destination").path("host").asText());
        }
        for (JsonNode match : http.get(i).path("match")) {
          String prefix = match.path("uri").path("prefix").asText(null);
          if (prefix != null) {
            routes.add(new IstioRoute(vs, i, prefix, hosts));
          }
        }
      }
    }
    return routes;
  }

  /** Whether {@code prefix} matches {@code path} as Kong and Istio prefixes do (plain string). */
  static boolean prefixCovers(String prefix, String path) {
    return path.startsWith(prefix);
  }
}
