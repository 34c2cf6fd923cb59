package io.linkflow.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against the running platform ({@code make e2e}): scrapes every service's /metrics and finds each
 * LinkFlow metric the alert rules and dashboards use (histograms with _bucket, _sum and _count).
 * Some meters appear only after the first event of their kind (an execution, a node run, a webhook
 * call, a fire, a housekeeping run): when execution-service has no finished execution yet, the
 * journey of {@link JourneyIT} runs first, and missing meters are awaited for up to six minutes
 * (the `stale` housekeeping job runs every five).
 */
class MetricsScrapeIT {

  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void platformWithTraffic() throws Exception {
    ExecutionDrillIT.make("run-local");
    if (!scrape().containsKey("executions_total")) {
      JourneyIT.platform();
      try {
        new JourneyIT().aUserBuildsRunsAndStopsWorkflowsThroughTheEdge();
      } finally {
        JourneyIT.stop();
      }
    }
  }

  @Test
  void everyLinkFlowMetricOfTheRulesAndDashboardsIsExported() throws Exception {
    Set<String> expected = new TreeSet<>();
    for (String name : MetricReferences.used().keySet()) {
      if (MetricReferences.STANDARD_EXPORTERS.containsKey(name)) {
        continue;
      }
      expected.add(name);
      if (name.endsWith("_bucket")) {
        String base = name.substring(0, name.length() - "_bucket".length());
        expected.add(base + "_sum");
        expected.add(base + "_count");
      }
    }
    assertThat(expected).contains("http_requests_total", "worker_jobs_processed_total");
    long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
    Map<String, Set<String>> exported = scrape();
    while (!exported.keySet().containsAll(expected) && System.nanoTime() < deadline) {
      Thread.sleep(10_000);
      exported = scrape();
    }
    Set<String> missing = new TreeSet<>(expected);
    missing.removeAll(exported.keySet());
    assertThat(missing)
        .as("used by alerts or dashboards, exported by no running service")
        .isEmpty();
  }

  /** Metric name to the services exporting it, from every service's /metrics. */
  static Map<String, Set<String>> scrape() throws Exception {
    Map<String, Set<String>> exported = new TreeMap<>();
    for (Catalog.Service service : Catalog.SERVICES) {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://localhost:" + service.port() + "/metrics"))
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(service.id() + " /metrics").isEqualTo(200);
      response
          .body()
          .lines()
          .filter(line -> !line.isBlank() && !line.startsWith("#"))
          .map(line -> line.split("[{ ]", 2)[0])
          .forEach(name -> exported.computeIfAbsent(name, n -> new TreeSet<>()).add(service.id()));
    }
    return exported;
  }
}
