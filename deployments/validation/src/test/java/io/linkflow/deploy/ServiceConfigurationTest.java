package io.linkflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart's environment against the code: every LINKFLOW_* variable a pod gets is one the code
 * reads, and every secret a service reads without a usable default comes from a Secret.
 */
class ServiceConfigurationTest {

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{(LINKFLOW_[A-Z0-9_]+)(:?)");

  /**
   * Infrastructure addresses the chart already hands out for services whose code does not read them
   * yet (search-service's Elasticsearch and storage-service's S3 arrive with their issues); the
   * backup CronJob reads the S3 ones from the same ConfigMap.
   */
  private static final Set<String> NOT_READ_YET =
      Set.of(
          "LINKFLOW_ELASTICSEARCH_URL",
          "LINKFLOW_S3_ENDPOINT",
          "LINKFLOW_S3_BUCKET",
          "LINKFLOW_S3_REGION");

  private static final Path ROOT = HelmChart.repositoryRoot();

  private final java.util.Map<String, JsonNode> objects =
      ChartObjects.byKindAndName(HelmChart.linkflow().template());

  @Test
  void everyVariableAPodGetsIsReadByTheCode() throws IOException {
    Set<String> shared = variablesIn(sharedConfigFiles());
    for (String service : ChartObjects.SERVICES) {
      Set<String> read = new TreeSet<>(shared);
      read.addAll(variablesIn(Stream.of(serviceProperties(service))));
      Set<String> given = new TreeSet<>();
      objects
          .get("ConfigMap/linkflow-config")
          .path("data")
          .fieldNames()
          .forEachRemaining(given::add);
      ChartObjects.container(objects.get("Deployment/" + service + "-service"))
          .path("env")
          .forEach(e -> given.add(e.path("name").asText()));
      given.remove("JAVA_TOOL_OPTIONS");
      given.removeAll(NOT_READ_YET);
      // LINKFLOW_HTTP_PORT and the service URLs are read by some services only: a variable must be
      // read by this service, or be in the shared ConfigMap and read by at least one service.
      Set<String> readAnywhere = allVariablesRead();
      for (String variable : given) {
        assertThat(readAnywhere).as("%s given to %s-service", variable, service).contains(variable);
      }
      for (JsonNode e :
          ChartObjects.container(objects.get("Deployment/" + service + "-service")).path("env")) {
        assertThat(read)
            .as("%s-service gets %s but does not read it", service, e.path("name").asText())
            .contains(e.path("name").asText());
      }
    }
  }

  @Test
  void secretsTheServicesReadComeFromSecrets() throws IOException {
    Pattern secret = Pattern.compile("SECRET|MASTER_KEYS|KEY_ENCRYPTION_KEY|PASSWORD");
    for (String service : ChartObjects.SERVICES) {
      Set<String> needed = new TreeSet<>();
      for (String v : variablesIn(Stream.of(serviceProperties(service)))) {
        if (secret.matcher(v).find()) {
          needed.add(v);
        }
      }
      JsonNode deployment = objects.get("Deployment/" + service + "-service");
      Set<String> fromSecrets = new TreeSet<>();
      ChartObjects.container(deployment)
          .path("env")
          .forEach(
              e -> {
                if (e.path("valueFrom").has("secretKeyRef")) {
                  fromSecrets.add(e.path("name").asText());
                }
                assertThat(secret.matcher(e.path("name").asText()).find() && e.has("value"))
                    .as("%s-service: secret %s as a literal value", service, e.path("name"))
                    .isFalse();
              });
      assertThat(fromSecrets).as("%s-service", service).containsAll(needed);
      // A database service gets its PostgreSQL credentials from the PostgreSQL Secret.
      if (ownsDatabase(service)) {
        assertThat(fromSecrets).contains("LINKFLOW_DB_USER", "LINKFLOW_DB_PASSWORD");
      } else {
        assertThat(fromSecrets).doesNotContain("LINKFLOW_DB_PASSWORD");
      }
    }
  }

  private static boolean ownsDatabase(String service) throws IOException {
    return !Files.readString(serviceProperties(service))
        .contains("quarkus.datasource.active=false");
  }

  private static Path serviceProperties(String service) {
    return ROOT.resolve(
        "services/" + service + "-service/src/main/resources/application.properties");
  }

  private static Stream<Path> sharedConfigFiles() throws IOException {
    try (Stream<Path> libs = Files.list(ROOT.resolve("libs"))) {
      return libs
          .map(l -> l.resolve("src/main/resources/META-INF/microprofile-config.properties"))
          .filter(Files::isRegularFile)
          .toList()
          .stream();
    }
  }

  /**
   * Every variable the code reads: ${LINKFLOW_…} in the properties files, and the environment names
   * of the linkflow.* keys the libraries look up themselves (MicroProfile Config maps
   * linkflow.tracing.otlp-endpoint to LINKFLOW_TRACING_OTLP_ENDPOINT).
   */
  private static Set<String> allVariablesRead() throws IOException {
    Set<String> all = variablesIn(sharedConfigFiles());
    Pattern key = Pattern.compile("\"(linkflow\\.[a-z0-9.-]+)\"");
    try (Stream<Path> sources = Files.walk(ROOT.resolve("libs"))) {
      for (Path source :
          sources
              .filter(p -> p.toString().contains("/src/main/java/"))
              .filter(p -> p.toString().endsWith(".java"))
              .toList()) {
        Matcher m = key.matcher(Files.readString(source));
        while (m.find()) {
          all.add(m.group(1).toUpperCase(java.util.Locale.ROOT).replaceAll("[.-]", "_"));
        }
      }
    }
    for (String service : ChartObjects.SERVICES) {
      all.addAll(variablesIn(Stream.of(serviceProperties(service))));
    }
    return all;
  }

  private static Set<String> variablesIn(Stream<Path> files) throws IOException {
    Set<String> variables = new TreeSet<>();
    for (Path file : files.toList()) {
      for (String line : Files.readAllLines(file)) {
        if (line.stripLeading().startsWith("#")) {
          continue;
        }
        Matcher m = VARIABLE.matcher(line);
        while (m.find()) {
          variables.add(m.group(1));
        }
      }
    }
    return variables;
  }
}
