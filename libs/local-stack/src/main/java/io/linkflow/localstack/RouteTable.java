package io.linkflow.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Routes of the Kong declarative config (kong/kong.yml): path prefix to Kong service name. The
 * longest matching prefix wins; a prefix matches the path itself and paths below it ({@code
 * /webhook} matches {@code /webhook} and {@code /webhook/x}, not {@code /webhooks}).
 */
public final class RouteTable {

  /** One route path of a Kong service. */
  public record Route(String prefix, String service) {

    boolean matches(String path) {
      if (prefix.endsWith("/")) {
        return path.startsWith(prefix) || path.equals(prefix.substring(0, prefix.length() - 1));
      }
      return path.equals(prefix) || path.startsWith(prefix + "/");
    }
  }

  private final List<Route> routes;

  public RouteTable(List<Route> routes) {
    List<Route> sorted = new ArrayList<>(routes);
    sorted.sort(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed());
    this.routes = List.copyOf(sorted);
  }

  /** Parses a Kong 3.x declarative file: {@code services[].name} and {@code routes[].paths}. */
  public static RouteTable parse(Path kongYml) {
    try {
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(kongYml.toFile());
      List<Route> routes = new ArrayList<>();
      for (JsonNode service : root.path("services")) {
        String name = service.path("name").asText();
        for (JsonNode route : service.path("routes")) {
          for (JsonNode path : route.path("paths")) {
            routes.add(new Route(path.asText(), name));
          }
        }
      }
      // Top-level routes that reference a service by name.
      for (JsonNode route : root.path("routes")) {
        JsonNode service = route.path("service");
        String name = service.isTextual() ? service.asText() : service.path("name").asText();
        for (JsonNode path : route.path("paths")) {
          routes.add(new Route(path.asText(), name));
        }
      }
      if (routes.isEmpty()) {
        throw new IllegalArgumentException("No routes in " + kongYml);
      }
      return new RouteTable(routes);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + kongYml, e);
    }
  }

  /** The route for a request path (without query string), longest prefix first. */
  public Optional<Route> match(String path) {
    for (Route route : routes) {
      if (route.matches(path)) {
        return Optional.of(route);
      }
    }
    return Optional.empty();
  }

  /** The Kong service name for a path, if any route matches. */
  public Optional<String> serviceFor(String path) {
    return match(path).map(Route::service);
  }

  public List<Route> routes() {
    return routes;
  }
}
