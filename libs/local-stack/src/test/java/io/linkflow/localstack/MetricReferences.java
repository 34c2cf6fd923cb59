package io.linkflow.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which metrics the alert rules (helm/linkflow/files/prometheus/alerts.yaml) and the Grafana
 * dashboards (helm/linkflow/files/dashboards/*.json) use, and where each one comes from: the meters
 * LinkFlow's code registers (Micrometer builders in libs and services), the meters Quarkus'
 * Micrometer binders register in every service ({@link #FRAMEWORK}), or a standard exporter of the
 * cluster ({@link #STANDARD_EXPORTERS}).
 */
final class MetricReferences {

  /** Metrics of the services' /metrics that no LinkFlow code names: Micrometer's binders. */
  static final Map<String, String> FRAMEWORK =
      Map.of(
          "jvm_memory_used_bytes", "Micrometer JVM memory binder (quarkus-micrometer)",
          "jvm_gc_pause_seconds_sum", "Micrometer JVM GC binder (quarkus-micrometer)",
          "process_cpu_usage", "Micrometer processor binder (quarkus-micrometer)",
          "kafka_consumer_fetch_manager_records_lag_max",
              "Kafka client metrics (quarkus-micrometer Kafka binder)",
          "kafka_consumer_fetch_manager_records_consumed_total",
              "Kafka client metrics (quarkus-micrometer Kafka binder)",
          "kafka_consumer_coordinator_assigned_partitions",
              "Kafka client metrics (quarkus-micrometer Kafka binder)",
          "kafka_producer_record_send_total",
              "Kafka client metrics (quarkus-micrometer Kafka binder)",
          "kafka_producer_record_error_total",
              "Kafka client metrics (quarkus-micrometer Kafka binder)");

  /** Metrics of the cluster's standard exporters, never of a LinkFlow service. */
  static final Map<String, String> STANDARD_EXPORTERS =
      Map.ofEntries(
          Map.entry("up", "Prometheus (one per scrape target)"),
          Map.entry("kube_deployment_status_replicas_available", "kube-state-metrics"),
          Map.entry("kube_pod_container_status_waiting_reason", "kube-state-metrics"),
          Map.entry("kube_pod_container_status_restarts_total", "kube-state-metrics"),
          Map.entry("kube_node_status_condition", "kube-state-metrics"),
          Map.entry("kubelet_volume_stats_available_bytes", "kubelet"),
          Map.entry("kubelet_volume_stats_capacity_bytes", "kubelet"),
          Map.entry("kafka_consumergroup_lag", "Kafka Exporter (Strimzi)"),
          Map.entry("pg_stat_activity_count", "PostgreSQL exporter (postgres_exporter)"),
          Map.entry("pg_settings_max_connections", "PostgreSQL exporter (postgres_exporter)"));

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "bool",
          "offset",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "inf",
          "nan",
          "atan2");

  private MetricReferences() {}

  static Path root() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("helm/linkflow/files/prometheus/alerts.yaml"))) {
        return d;
      }
    }
    throw new IllegalStateException("not inside the LinkFlow repository");
  }

  /** Every query: alert expressions and dashboard targets and variables, by where they are. */
  static Map<String, String> queries() {
    Map<String, String> queries = new TreeMap<>();
    Path rules = root().resolve("helm/linkflow/files/prometheus/alerts.yaml");
    int n = 0;
    for (JsonNode group : read(YAML, rules).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        queries.put(
            "alert " + rule.path("alert").asText() + " #" + n++, rule.path("expr").asText());
      }
    }
    try (Stream<Path> files = Files.list(root().resolve("helm/linkflow/files/dashboards"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        JsonNode dashboard = read(JSON, file);
        for (JsonNode panel : dashboard.path("panels")) {
          for (JsonNode target : panel.path("targets")) {
            queries.put(
                "dashboard "
                    + file.getFileName()
                    + " panel \""
                    + panel.path("title").asText()
                    + "\" "
                    + target.path("refId").asText(),
                target.path("expr").asText());
          }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
          String query = variable.path("query").path("query").asText("");
          if (!query.isEmpty()) {
            queries.put(
                "dashboard " + file.getFileName() + " variable " + variable.path("name").asText(),
                query);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return queries;
  }

  /** Metric name to the first query that uses it. */
  static Map<String, String> used() {
    Map<String, String> used = new TreeMap<>();
    queries()
        .forEach(
            (where, query) -> metricNames(query).forEach(name -> used.putIfAbsent(name, where)));
    return used;
  }

  /**
   * The metric names of a PromQL query: identifiers that are not functions, keywords, label names
   * (matchers, by/without/on/ignoring lists) or inside strings and range selectors. Grafana's
   * label_values(metric, label) names its metric first.
   */
  static Set<String> metricNames(String query) {
    Set<String> names = new TreeSet<>();
    Matcher labelValues =
        Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)").matcher(query);
    if (labelValues.find()) {
      names.add(labelValues.group(1));
      return names;
    }
    String s =
        query
            .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
            .replaceAll("'(?:[^'\\\\]|\\\\.)*'", "''")
            .replaceAll("\\{[^}]*}", " ")
            .replaceAll("\\[[^\\]]*]", " ")
            .replaceAll(
                "(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Matcher token = Pattern.compile("(?<![a-zA-Z0-9_:.$])[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(s);
    while (token.find()) {
      String name = token.group();
      int next = token.end();
      while (next < s.length() && Character.isWhitespace(s.charAt(next))) {
        next++;
      }
      boolean function = next < s.length() && s.charAt(next) == '(';
      if (!function && !KEYWORDS.contains(name.toLowerCase())) {
        names.add(name);
      }
    }
    return names;
  }

  /**
   * The Prometheus names of the meters LinkFlow's code registers, as Micrometer's Prometheus
   * registry writes them: dots become underscores, counters end in _total, timers in
   * _seconds(_bucket|_count|_sum|_max), distribution summaries in _bucket|_count|_sum|_max.
   */
  static Map<String, String> declaredInCode() {
    Map<String, String> names = new TreeMap<>();
    Pattern builder =
        Pattern.compile(
            "\\b(Counter|Timer|Gauge|DistributionSummary)\\.builder\\(\\s*\"([a-z0-9_.]+)\"");
    Pattern shortcut = Pattern.compile("\\.(counter|gauge|timer)\\(\\s*\"([a-z0-9_.]+)\"");
    for (String area : List.of("libs", "services")) {
      try (Stream<Path> files = Files.walk(root().resolve(area))) {
        for (Path file :
            files
                .filter(
                    f -> f.toString().endsWith(".java") && f.toString().contains("/src/main/java/"))
                .toList()) {
          String source = Files.readString(file);
          String where = root().relativize(file).toString();
          for (Pattern pattern : List.of(builder, shortcut)) {
            Matcher m = pattern.matcher(source);
            while (m.find()) {
              for (String name : prometheusNames(m.group(1), m.group(2))) {
                names.putIfAbsent(name, where);
              }
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return names;
  }

  static List<String> prometheusNames(String type, String meter) {
    String base = meter.replace('.', '_');
    return switch (type.toLowerCase()) {
      case "counter" -> List.of(base.replaceFirst("_total$", "") + "_total");
      case "timer" -> {
        String t = base.replaceFirst("_seconds$", "") + "_seconds";
        yield List.of(t + "_bucket", t + "_count", t + "_sum", t + "_max");
      }
      case "distributionsummary" ->
          List.of(base + "_bucket", base + "_count", base + "_sum", base + "_max");
      default -> List.of(base);
    };
  }

  private static JsonNode read(ObjectMapper mapper, Path file) {
    try {
      return mapper.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
