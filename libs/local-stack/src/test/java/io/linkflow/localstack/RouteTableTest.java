package io.linkflow.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Parses the real kong/kong.yml of the repository. */
class RouteTableTest {

  static RouteTable table;

  static Path kongYml() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("kong/kong.yml");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "kong/kong.yml not found above " + Path.of("").toAbsolutePath());
  }

  @BeforeAll
  static void parse() {
    table = RouteTable.parse(kongYml());
  }

  private static String route(String path) {
    return table.serviceFor(path).orElse("<none>");
  }

  @Test
  void routesApiPathsToTheirServices() {
    assertEquals("workflow-service", route("/api/v1/workflows"));
    assertEquals("workflow-service", route("/api/v1/workflows/123"));
    assertEquals("auth-service", route("/api/v1/auth/login"));
    assertEquals("user-service", route("/api/v1/users/me"));
    assertEquals("user-service", route("/api/v1/workspaces/w1/members"));
    assertEquals("user-service", route("/api/v1/teams"));
    assertEquals("storage-service", route("/api/v1/files/f1/content"));
    assertEquals("billing-service", route("/api/v1/billing/plans"));
    assertEquals("search-service", route("/api/v1/search"));
  }

  @Test
  void webhookPrefixesMatchWholeSegmentsOnly() {
    assertEquals("webhook-service", route("/webhook/abc"));
    assertEquals("webhook-service", route("/webhook"));
    assertEquals("webhook-service", route("/webhook-test/abc"));
    assertEquals("webhook-service", route("/api/v1/webhooks"));
    assertEquals("webhook-service", route("/api/v1/webhooks/w1"));
    // "/webhook" must not swallow "/webhooks", which has no route of its own.
    assertEquals("<none>", route("/webhooks"));
    assertEquals("<none>", route("/api/v1/workflowsx"));
    assertEquals("<none>", route("/"));
    assertEquals("<none>", route("/api/v1"));
  }

  @Test
  void everyRoutedServiceIsInTheCatalogAndExecutorHasNoPublicRoute() {
    Set<String> services =
        table.routes().stream().map(RouteTable.Route::service).collect(Collectors.toSet());
    assertEquals(15, services.size(), services.toString());
    assertTrue(Catalog.localPortsByServiceId().keySet().containsAll(services), services.toString());
    assertTrue(!services.contains("executor-service"));
  }

  @Test
  void longestPrefixWins() {
    RouteTable t =
        new RouteTable(
            java.util.List.of(
                new RouteTable.Route("/api", "a"), new RouteTable.Route("/api/v1/x", "b")));
    assertEquals(Optional.of("b"), t.serviceFor("/api/v1/x/1"));
    assertEquals(Optional.of("a"), t.serviceFor("/api/v1/y"));
  }
}
