package io.linkflow.deploy.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboards api, worker and queue (helm/linkflow/files/dashboards): the Prometheus
 * datasource and the service as template variables, every query valid PromQL (promtool parses each,
 * with the variables substituted as Grafana would), and shipped by the chart as ConfigMaps for
 * Grafana's dashboard sidecar.
 */
class DashboardsTest {

  static final List<String> DASHBOARDS = List.of("api", "worker", "queue");

  static JsonNode dashboard(String name) {
    return Observability.readJson(Observability.chartFile("files/dashboards/" + name + ".json"));
  }

  /** Every query of a dashboard: panel targets and the variables' queries. */
  static List<String> queries(JsonNode dashboard) {
    List<String> queries = new ArrayList<>();
    dashboard
        .path("panels")
        .forEach(p -> p.path("targets").forEach(t -> queries.add(t.path("expr").asText())));
    return queries;
  }

  @Test
  void datasourceAndServiceAreTemplateVariables() {
    Set<String> uids = new LinkedHashSet<>();
    for (String name : DASHBOARDS) {
      JsonNode dashboard = dashboard(name);
      assertThat(uids.add(dashboard.path("uid").asText())).as(name + " uid unique").isTrue();
      JsonNode variables = dashboard.path("templating").path("list");
      JsonNode datasource = variable(variables, "datasource");
      assertThat(datasource.path("type").asText()).as(name).isEqualTo("datasource");
      assertThat(datasource.path("query").asText()).as(name).isEqualTo("prometheus");
      JsonNode service = variable(variables, "service");
      assertThat(service.path("type").asText()).as(name).isEqualTo("query");
      assertThat(service.path("query").path("query").asText())
          .as(name)
          .startsWith("label_values(")
          .endsWith(", service)");
      assertThat(service.path("includeAll").asBoolean()).as(name).isTrue();
      int panels = 0;
      for (JsonNode panel : dashboard.path("panels")) {
        if (panel.path("type").asText().equals("row")) {
          continue;
        }
        panels++;
        String title = name + ": " + panel.path("title").asText();
        assertThat(panel.path("datasource").path("uid").asText())
            .as(title)
            .isEqualTo("${datasource}");
        assertThat(panel.path("targets")).as(title).isNotEmpty();
        for (JsonNode target : panel.path("targets")) {
          assertThat(target.path("datasource").path("uid").asText())
              .as(title)
              .isEqualTo("${datasource}");
          assertThat(target.path("expr").asText()).as(title).isNotBlank();
        }
      }
      assertThat(panels).as(name + " panels").isGreaterThanOrEqualTo(8);
    }
  }

  @Test
  void everyQueryIsValidPromql(@TempDir Path dir) throws IOException {
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboards\n    rules:\n");
    int n = 0;
    for (String name : DASHBOARDS) {
      for (String query : queries(dashboard(name))) {
        String expr = grafanaSubstituted(query);
        rules
            .append("      - record: dashboard:")
            .append(name)
            .append(':')
            .append(n++)
            .append('\n');
        rules
            .append("        expr: ")
            .append(Observability.JSON.writeValueAsString(expr))
            .append('\n');
      }
    }
    assertThat(n).isGreaterThan(30);
    Path file = dir.resolve("dashboard-queries.yaml");
    Files.writeString(file, rules);
    Observability.Result result =
        Observability.run(
            dir, Map.of(), List.of("promtool", "check", "rules", file.toString()), 60);
    assertThat(result.exit()).as(result.all()).isZero();
    assertThat(result.all()).contains("SUCCESS: " + n + " rules found");
  }

  @Test
  void theChartShipsEachDashboardAsAConfigMapForGrafanasSidecar() throws IOException {
    List<JsonNode> objects = Observability.render();
    for (String name : DASHBOARDS) {
      JsonNode map = Observability.get(objects, "ConfigMap", "linkflow-dashboard-" + name);
      assertThat(map.path("metadata").path("namespace").asText()).isEqualTo("linkflow");
      assertThat(map.path("metadata").path("labels").path("grafana_dashboard").asText())
          .isEqualTo("1");
      JsonNode shipped =
          Observability.JSON.readTree(map.path("data").path("linkflow-" + name + ".json").asText());
      assertThat(shipped).isEqualTo(dashboard(name));
    }
  }

  /** Grafana's substitutions: $__rate_interval, ${var} / $var (all-values regex for service). */
  static String grafanaSubstituted(String query) {
    return query
        .replace("$__rate_interval", "2m")
        .replace("${datasource}", "prometheus")
        .replace("$namespace", "linkflow")
        .replace("$service", ".+");
  }

  private static JsonNode variable(JsonNode variables, String name) {
    for (JsonNode variable : variables) {
      if (name.equals(variable.path("name").asText())) {
        return variable;
      }
    }
    throw new AssertionError("no template variable " + name);
  }
}
