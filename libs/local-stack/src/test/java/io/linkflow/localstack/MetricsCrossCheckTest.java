package io.linkflow.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every metric an alert rule or a dashboard uses exists: LinkFlow's code registers it, Quarkus'
 * Micrometer binders export it from every service, or a named standard exporter does. The lists of
 * framework and exporter metrics hold no stale entry. {@link MetricsScrapeIT} then finds each
 * LinkFlow metric on the running services' /metrics.
 */
class MetricsCrossCheckTest {

  @Test
  void everyMetricOfTheRulesAndDashboardsHasAnOrigin() {
    Map<String, String> code = MetricReferences.declaredInCode();
    Map<String, String> unknown = new TreeMap<>();
    MetricReferences.used()
        .forEach(
            (name, where) -> {
              if (!code.containsKey(name)
                  && !MetricReferences.FRAMEWORK.containsKey(name)
                  && !MetricReferences.STANDARD_EXPORTERS.containsKey(name)) {
                unknown.put(name, where);
              }
            });
    assertThat(unknown)
        .as("metrics no service and no declared exporter exports (name=first use)")
        .isEmpty();
  }

  @Test
  void theDeclaredFrameworkAndExporterMetricsAreAllUsed() {
    Map<String, String> used = MetricReferences.used();
    assertThat(used.keySet())
        .containsAll(MetricReferences.FRAMEWORK.keySet())
        .containsAll(MetricReferences.STANDARD_EXPORTERS.keySet());
  }

  @Test
  void theCodeDeclaresTheMetersTheGuideNames() {
    assertThat(MetricReferences.declaredInCode())
        .containsKeys(
            "http_requests_total",
            "http_request_duration_seconds_bucket",
            "executions_total",
            "worker_jobs_processed_total",
            "worker_job_duration_seconds_bucket",
            "dead_letter_queue_size");
  }

  @Test
  void theExtractorFindsMetricsAndNothingElse() {
    assertThat(
            MetricReferences.metricNames(
                "histogram_quantile(0.95, sum by (service, le) (rate(http_request_duration_seconds_bucket{route!~\"/health.*\", le=\"1\"}[$__rate_interval]))) > 1"
                    + " and on (service) max without (pod) (up{namespace=\"linkflow\"} offset 5m) == bool 1"
                    + " or absent(worker_jobs_running) unless time() - housekeeping_last_success_timestamp_seconds > 2e3"))
        .containsExactlyInAnyOrder(
            "http_request_duration_seconds_bucket",
            "up",
            "worker_jobs_running",
            "housekeeping_last_success_timestamp_seconds");
    assertThat(
            MetricReferences.metricNames(
                "label_values(http_requests_total{namespace=\"$namespace\"}, service)"))
        .containsExactly("http_requests_total");
  }
}
