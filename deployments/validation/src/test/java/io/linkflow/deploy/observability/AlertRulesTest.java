package io.linkflow.deploy.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The alert rules (helm/linkflow/files/prometheus/alerts.yaml): valid for Prometheus (promtool
 * check rules), behaving as intended (promtool test rules with series for each alert), complete
 * (the guide's alerts, each with severity, summary, description and a runbook section that exists
 * in docs/operations.md), and shipped unchanged by the chart as a PrometheusRule.
 */
class AlertRulesTest {

  static final Path RULES = Observability.chartFile("files/prometheus/alerts.yaml");
  static final Path UNIT_TESTS =
      Observability.root()
          .resolve("deployments/validation/src/test/resources/prometheus/alerts-test.yaml");

  /** The alerts docs/operations.md and the deployment issue name. */
  static final Set<String> GUIDE_ALERTS =
      Set.of(
          "HighErrorRate",
          "ServiceDown",
          "HighLatency",
          "KafkaLag",
          "PodCrashLooping",
          "DiskPressure",
          "QueueBacklog",
          "WorkerDown",
          "HighDBConnections");

  static List<JsonNode> rules() {
    List<JsonNode> rules = new ArrayList<>();
    Observability.readYaml(RULES).path("groups").forEach(g -> g.path("rules").forEach(rules::add));
    return rules;
  }

  @Test
  void promtoolAcceptsTheRuleFile() {
    Observability.Result result =
        Observability.run(
            Observability.root(),
            Map.of(),
            List.of("promtool", "check", "rules", RULES.toString()),
            60);
    assertThat(result.exit()).as(result.all()).isZero();
    assertThat(result.all()).contains("SUCCESS");
  }

  @Test
  void everyAlertFiresOnItsSeriesAndOnlyThere() {
    Observability.Result result =
        Observability.run(
            UNIT_TESTS.getParent(),
            Map.of(),
            List.of("promtool", "test", "rules", UNIT_TESTS.getFileName().toString()),
            120);
    assertThat(result.exit()).as(result.all()).isZero();
    assertThat(result.all()).contains("SUCCESS");
  }

  @Test
  void everyAlertHasAUnitTest() {
    Set<String> tested = new LinkedHashSet<>();
    Observability.readYaml(UNIT_TESTS)
        .path("tests")
        .forEach(
            t ->
                t.path("alert_rule_test")
                    .forEach(
                        a -> {
                          if (!a.path("exp_alerts").isEmpty()) {
                            tested.add(a.path("alertname").asText());
                          }
                        }));
    Set<String> alerts = new LinkedHashSet<>();
    rules().forEach(r -> alerts.add(r.path("alert").asText()));
    assertThat(tested).as("alerts with a firing promtool test").containsAll(alerts);
  }

  @Test
  void theGuidesAlertsExistWithSeverityTextAndARunbookSection() {
    Set<String> anchors =
        headingAnchors(Observability.read(Observability.root().resolve("docs/operations.md")));
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode rule : rules()) {
      String name = rule.path("alert").asText();
      names.add(name);
      assertThat(rule.path("expr").asText()).as(name).isNotBlank();
      assertThat(rule.path("for").asText()).as(name + " for").matches("[0-9]+[smh]");
      assertThat(rule.path("labels").path("severity").asText())
          .as(name + " severity")
          .isIn("critical", "warning");
      JsonNode annotations = rule.path("annotations");
      assertThat(annotations.path("summary").asText()).as(name + " summary").isNotBlank();
      assertThat(annotations.path("description").asText()).as(name + " description").isNotBlank();
      String runbook = annotations.path("runbook_url").asText();
      String prefix = "https://github.com/linkflow/linkflow/blob/main/docs/operations.md#";
      assertThat(runbook).as(name + " runbook_url").startsWith(prefix);
      String anchor = runbook.substring(prefix.length());
      assertThat(anchor).as(name + " runbook anchor").isEqualTo(name.toLowerCase(Locale.ROOT));
      assertThat(anchors)
          .as("docs/operations.md has a section for " + name + " (#" + anchor + ")")
          .contains(anchor);
    }
    assertThat(names).containsAll(GUIDE_ALERTS);
  }

  @Test
  void theChartShipsTheRuleFileAsAPrometheusRule() {
    JsonNode rule = Observability.get(Observability.render(), "PrometheusRule", "linkflow-alerts");
    assertThat(rule.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(rule.path("metadata").path("namespace").asText()).isEqualTo("linkflow");
    assertThat(rule.path("metadata").path("labels").path("release").asText())
        .as("kube-prometheus-stack selects rules by its release label")
        .isEqualTo("kube-prometheus-stack");
    assertThat(rule.path("spec").path("groups"))
        .isEqualTo(Observability.readYaml(RULES).path("groups"));
  }

  /** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens. */
  static Set<String> headingAnchors(String markdown) {
    Set<String> anchors = new LinkedHashSet<>();
    Matcher heading = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*$").matcher(markdown);
    while (heading.find()) {
      anchors.add(
          heading
              .group(1)
              .toLowerCase(Locale.ROOT)
              .replaceAll("[^\\p{L}\\p{N} _-]", "")
              .replace(' ', '-'));
    }
    return anchors;
  }
}
