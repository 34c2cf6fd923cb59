package io.linkflow.deploy.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.linkflow.deploy.HelmChart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What the observability tests share: the repository's files, the chart rendered with real Helm,
 * and real tools (promtool, pg_dump, curl) run as processes. A missing tool fails the test with the
 * Debian package that provides it (.ci/run installs them); nothing is skipped.
 */
final class Observability {

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();

  private static List<JsonNode> defaultRender;

  private Observability() {}

  static Path root() {
    return HelmChart.repositoryRoot();
  }

  static Path chartFile(String relative) {
    return HelmChart.linkflow().dir().resolve(relative);
  }

  static JsonNode readYaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code helm template} with the default values, one node per object. */
  static synchronized List<JsonNode> render() {
    if (defaultRender == null) {
      defaultRender = parseDocuments(HelmChart.linkflow().template());
    }
    return defaultRender;
  }

  static List<JsonNode> render(Map<String, String> sets) {
    return parseDocuments(HelmChart.linkflow().template(List.of(), sets));
  }

  static List<JsonNode> parseDocuments(String manifests) {
    List<JsonNode> documents = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(manifests)) {
      var iterator = YAML.readValues(parser, JsonNode.class);
      while (iterator.hasNext()) {
        JsonNode document = iterator.next();
        if (document != null && document.isObject() && !document.isEmpty()) {
          documents.add(document);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return documents;
  }

  static Optional<JsonNode> find(List<JsonNode> objects, String kind, String name) {
    return objects.stream()
        .filter(o -> kind.equals(o.path("kind").asText()))
        .filter(o -> name.equals(o.path("metadata").path("name").asText()))
        .findFirst();
  }

  static JsonNode get(List<JsonNode> objects, String kind, String name) {
    return find(objects, kind, name)
        .orElseThrow(() -> new AssertionError("the chart renders no " + kind + " " + name));
  }

  /** A command's outcome. */
  record Result(int exit, String out, String err) {
    String all() {
      return out + err;
    }
  }

  /** Runs a real tool; fails clearly when it is not installed. */
  static Result run(Path dir, Map<String, String> env, List<String> command, long timeoutSeconds) {
    requireTool(command.get(0));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().putAll(env);
    try {
      Path out = Files.createTempFile("obs-out", ".txt");
      Path err = Files.createTempFile("obs-err", ".txt");
      builder.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process process = builder.start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s");
      }
      Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static final Map<String, String> PACKAGES =
      Map.of(
          "promtool", "prometheus (apt-get install --no-install-recommends prometheus)",
          "pg_dump", "postgresql-client",
          "pg_restore", "postgresql-client",
          "psql", "postgresql-client",
          "curl", "curl",
          "sh", "dash");

  static void requireTool(String tool) {
    if (tool.contains("/")) {
      return;
    }
    boolean found =
        List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream()
            .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)));
    assertThat(found)
        .as(
            "%s is needed by this test and is not on PATH: install Debian's %s (.ci/run does)",
            tool, PACKAGES.getOrDefault(tool, tool))
        .isTrue();
  }

  static ObjectNode object() {
    return JSON.createObjectNode();
  }
}
