package io.linkflow.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
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
 * journey of {@link JourneyIT} runs first; when no housekeeping job has run yet, the `stale` job is
 * run now the way an operator does (the operator client's token, schedule-service's internal
 * endpoint) instead of waiting for its five-minute timer. Meters still missing are awaited for up
 * to a minute.
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
    if (!scrape().containsKey("housekeeping_runs_total")) {
      runHousekeepingJob("stale");
    }
  }

  /** Runs a housekeeping job now with the operator client's token (docs/operations.md). */
  static void runHousekeepingJob(String job) throws Exception {
    String secret =
        LocalSecrets.load(new Home(ExecutionDrillIT.REPO.resolve(".linkflow")))
            .get("LINKFLOW_AUTH_CLIENT_OPERATOR_SECRET");
    String basic =
        Base64.getEncoder().encodeToString(("operator:" + secret).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> token =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://localhost:8101/api/v1/auth/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(token.statusCode()).as("operator token: " + token.body()).isEqualTo(200);
    String accessToken = ExecutionDrillIT.JSON.readTree(token.body()).path("access_token").asText();
    HttpResponse<String> run =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://localhost:8110/internal/v1/housekeeping/" + job + "/run"))
                .header("Authorization", "Bearer " + accessToken)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(run.statusCode()).as("housekeeping " + job + ": " + run.body()).isEqualTo(200);
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
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    Map<String, Set<String>> exported = scrape();
    while (!exported.keySet().containsAll(expected) && System.nanoTime() < deadline) {
      Thread.sleep(2_000);
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
