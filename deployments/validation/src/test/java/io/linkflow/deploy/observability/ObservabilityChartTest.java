package io.linkflow.deploy.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.linkflow.deploy.HelmChart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What templates/observability renders, checked against the code and the conventions: the scrape
 * covers every service, traces reach the collector the services are told about, logs reach Loki,
 * the backup dumps exactly the databases the services have, daily at 02:00 UTC, and every pod runs
 * non-root on a read-only root filesystem with secrets only from Secret references.
 */
class ObservabilityChartTest {

  static final List<String> SERVICES = HelmChart.services();

  @Test
  void theServiceMonitorScrapesEveryServicesMetricsOnPortHttp() {
    List<JsonNode> objects = Observability.render();
    JsonNode monitor = Observability.get(objects, "ServiceMonitor", "linkflow-services");
    JsonNode expression = monitor.path("spec").path("selector").path("matchExpressions").get(0);
    assertThat(expression.path("key").asText()).isEqualTo("app.kubernetes.io/name");
    List<String> selected = new ArrayList<>();
    expression.path("values").forEach(v -> selected.add(v.asText()));
    assertThat(selected)
        .containsExactlyInAnyOrderElementsOf(SERVICES.stream().map(s -> s + "-service").toList());
    JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
    assertThat(endpoint.path("port").asText()).isEqualTo("http");
    assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
    // each selected Service exists with the label and a port named http
    for (String name : selected) {
      JsonNode service = Observability.get(objects, "Service", name);
      assertThat(service.path("metadata").path("labels").path("app.kubernetes.io/name").asText())
          .isEqualTo(name);
      assertThat(service.path("spec").path("ports").findValuesAsText("name")).contains("http");
    }
  }

  @Test
  void tracesGoFromTheServicesThroughTheCollectorToJaeger() throws IOException {
    List<JsonNode> objects = Observability.render();
    JsonNode service = Observability.get(objects, "Service", "otel-collector");
    assertThat(service.path("spec").path("ports").findValuesAsText("port"))
        .containsExactlyInAnyOrder("4317", "4318", "8888");
    JsonNode config = Observability.get(objects, "ConfigMap", "linkflow-config");
    assertThat(config.path("data").path("LINKFLOW_TRACING_OTLP_ENDPOINT").asText())
        .isEqualTo("http://otel-collector.linkflow.svc.cluster.local:4317");
    JsonNode collector =
        Observability.YAML.readTree(
            Observability.get(objects, "ConfigMap", "otel-collector")
                .path("data")
                .path("collector.yaml")
                .asText());
    JsonNode traces = collector.path("service").path("pipelines").path("traces");
    assertThat(traces.path("processors").get(0).asText())
        .as("memory_limiter comes first")
        .isEqualTo("memory_limiter");
    assertThat(traces.toString()).contains("batch").contains("otlp/jaeger");
    assertThat(collector.path("exporters").path("otlp/jaeger").path("endpoint").asText())
        .isEqualTo("jaeger-collector.observability.svc.cluster.local:4317");
    assertThat(
            collector
                .path("receivers")
                .path("otlp")
                .path("protocols")
                .path("grpc")
                .path("endpoint")
                .asText())
        .endsWith(":4317");
  }

  @Test
  void logsGoFromAlloyToLoki() {
    List<JsonNode> objects = Observability.render();
    Observability.get(objects, "StatefulSet", "loki");
    JsonNode loki = Observability.get(objects, "Service", "loki");
    assertThat(loki.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(3100);
    String alloy =
        Observability.get(objects, "ConfigMap", "alloy").path("data").path("config.alloy").asText();
    assertThat(alloy)
        .contains("url = \"http://loki.linkflow.svc.cluster.local:3100/loki/api/v1/push\"")
        .contains("names = [\"linkflow\"]")
        .contains("stage.json");
    Observability.get(objects, "DaemonSet", "alloy");
    JsonNode role = Observability.get(objects, "Role", "alloy");
    assertThat(role.toString())
        .contains("pods/log")
        .doesNotContain("secrets")
        .doesNotContain("\"*\"");
  }

  @Test
  void theBackupDumpsEveryServiceDatabaseDailyAt2Utc() throws IOException {
    List<JsonNode> objects = Observability.render();
    JsonNode cron = Observability.get(objects, "CronJob", "postgres-backup");
    JsonNode spec = cron.path("spec");
    assertThat(spec.path("schedule").asText()).isEqualTo("0 2 * * *");
    assertThat(spec.path("timeZone").asText()).isEqualTo("UTC");
    assertThat(spec.path("concurrencyPolicy").asText()).isEqualTo("Forbid");
    assertThat(spec.path("successfulJobsHistoryLimit").asInt()).isPositive();
    assertThat(spec.path("failedJobsHistoryLimit").asInt()).isPositive();
    JsonNode job = spec.path("jobTemplate").path("spec");
    assertThat(job.path("activeDeadlineSeconds").asInt()).isPositive();
    JsonNode dump = job.path("template").path("spec").path("initContainers").get(0);
    assertThat(dump.path("command").toString()).contains("dump");
    String databases = env(dump, "BACKUP_DATABASES").path("value").asText();
    assertThat(new TreeSet<>(List.of(databases.split(","))))
        .as("the databases the services' application.properties name")
        .isEqualTo(databasesOfTheServices());
    assertThat(env(dump, "PGPASSWORD").path("valueFrom").path("secretKeyRef").path("name").asText())
        .isEqualTo("linkflow-postgresql");
    JsonNode upload = job.path("template").path("spec").path("containers").get(0);
    assertThat(upload.path("command").toString()).contains("upload");
    assertThat(
            env(upload, "AWS_SECRET_ACCESS_KEY")
                .path("valueFrom")
                .path("secretKeyRef")
                .path("key")
                .asText())
        .isEqualTo("secret-access-key");
    String script =
        Observability.get(objects, "ConfigMap", "postgres-backup")
            .path("data")
            .path("pg-backup.sh")
            .asText();
    assertThat(script.strip())
        .isEqualTo(
            Observability.read(Observability.chartFile("files/backup/pg-backup.sh")).strip());
  }

  @Test
  void everyObservabilityPodIsNonRootReadOnlyWithoutCapabilitiesAndSecretsOnlyByReference() {
    for (JsonNode object : Observability.render()) {
      JsonNode pod = podSpec(object);
      if (pod == null
          || !"observability"
              .equals(
                  object
                      .path("metadata")
                      .path("labels")
                      .path("app.kubernetes.io/component")
                      .asText())) {
        continue;
      }
      String name =
          object.path("kind").asText() + " " + object.path("metadata").path("name").asText();
      assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).as(name).isTrue();
      assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText())
          .as(name)
          .isEqualTo("RuntimeDefault");
      List<JsonNode> containers = new ArrayList<>();
      pod.path("initContainers").forEach(containers::add);
      pod.path("containers").forEach(containers::add);
      assertThat(containers).as(name).isNotEmpty();
      for (JsonNode container : containers) {
        String where = name + "/" + container.path("name").asText();
        JsonNode security = container.path("securityContext");
        assertThat(security.path("readOnlyRootFilesystem").asBoolean()).as(where).isTrue();
        assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).as(where).isFalse();
        assertThat(security.path("capabilities").path("drop").toString())
            .as(where)
            .isEqualTo("[\"ALL\"]");
        assertThat(container.path("resources").path("limits").path("memory").asText())
            .as(where)
            .isNotBlank();
        for (JsonNode env : container.path("env")) {
          String variable = env.path("name").asText();
          if (variable.matches(".*(PASSWORD|SECRET|KEY_ID).*")) {
            assertThat(env.has("value"))
                .as(where + " " + variable + " must come from a Secret")
                .isFalse();
          }
        }
      }
    }
  }

  @Test
  void eachPartCanBeSwitchedOff() {
    List<JsonNode> without =
        Observability.render(
            Map.of(
                "monitoring.enabled", "false",
                "logging.enabled", "false",
                "tracing.enabled", "false",
                "backup.enabled", "false"));
    assertThat(without)
        .filteredOn(
            o ->
                "observability"
                    .equals(
                        o.path("metadata")
                            .path("labels")
                            .path("app.kubernetes.io/component")
                            .asText()))
        .isEmpty();
    assertThat(
            Observability.render(
                Map.of("backup.s3.bucket", "other", "backup.schedule", "30 3 * * *")))
        .filteredOn(o -> o.path("kind").asText().equals("CronJob"))
        .singleElement()
        .satisfies(
            c -> assertThat(c.path("spec").path("schedule").asText()).isEqualTo("30 3 * * *"));
  }

  /** linkflow_<name> of every service whose application.properties sets linkflow.db.name. */
  static TreeSet<String> databasesOfTheServices() throws IOException {
    TreeSet<String> names = new TreeSet<>();
    Pattern db = Pattern.compile("(?m)^linkflow\\.db\\.name=\\$\\{LINKFLOW_DB_NAME:([a-z_]+)}");
    try (Stream<Path> services = Files.list(Observability.root().resolve("services"))) {
      for (Path service : services.toList()) {
        Path properties = service.resolve("src/main/resources/application.properties");
        if (Files.isRegularFile(properties)) {
          Matcher m = db.matcher(Files.readString(properties));
          if (m.find()) {
            names.add(m.group(1));
          }
        }
      }
    }
    assertThat(names).hasSizeGreaterThan(10);
    return names;
  }

  static JsonNode env(JsonNode container, String name) {
    for (JsonNode env : container.path("env")) {
      if (name.equals(env.path("name").asText())) {
        return env;
      }
    }
    throw new AssertionError(container.path("name").asText() + " has no env " + name);
  }

  static JsonNode podSpec(JsonNode object) {
    return switch (object.path("kind").asText()) {
      case "Deployment", "StatefulSet", "DaemonSet" ->
          object.path("spec").path("template").path("spec");
      case "CronJob" ->
          object.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
      default -> null;
    };
  }
}
