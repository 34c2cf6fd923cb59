package io.linkflow.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The LinkFlow chart (helm/linkflow) driven by real Helm 3 through helm-java's native library: no
 * helm CLI and no cluster needed. {@link #lintStrict()} is {@code helm lint --strict}; {@link
 * #template} is {@code helm template linkflow helm/linkflow --namespace linkflow [-f …] [--set …]}.
 */
public final class HelmChart {

  /** The release name every document and tool uses. */
  public static final String RELEASE = "linkflow";

  /** The namespace LinkFlow ships into. */
  public static final String NAMESPACE = "linkflow";

  private final Path chartDir;

  private HelmChart(Path chartDir) {
    if (!Files.isRegularFile(chartDir.resolve("Chart.yaml"))) {
      throw new IllegalArgumentException("no Chart.yaml in " + chartDir);
    }
    this.chartDir = chartDir;
  }

  /** The chart at {@code helm/linkflow} of this repository. */
  public static HelmChart linkflow() {
    return at(repositoryRoot().resolve("helm/linkflow"));
  }

  public static HelmChart at(Path chartDir) {
    return new HelmChart(chartDir.toAbsolutePath().normalize());
  }

  public Path dir() {
    return chartDir;
  }

  /**
   * The repository's root: the nearest directory upwards from the working directory (Maven runs
   * tests in the module's directory) that holds {@code helm/linkflow/Chart.yaml}.
   */
  public static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("helm/linkflow/Chart.yaml"))) {
        return d;
      }
    }
    throw new IllegalStateException("not inside the LinkFlow repository: " + dir);
  }

  /**
   * The services, from {@code services/<name>-service/pom.xml} ({@code auth}, {@code user}, …): the
   * list every deployment check compares the files with.
   */
  public static List<String> services() {
    try (Stream<Path> dirs = Files.list(repositoryRoot().resolve("services"))) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml")))
          .map(d -> d.getFileName().toString())
          .filter(n -> n.endsWith("-service"))
          .map(n -> n.substring(0, n.length() - "-service".length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code helm lint --strict}: warnings fail too. */
  public LintResult lintStrict() {
    return new Helm(chartDir).lint().strict().call();
  }

  /** {@code helm template} with the chart's default values. */
  public String template() {
    return template(List.of(), Map.of());
  }

  /**
   * {@code helm template linkflow <chart> --namespace linkflow -f <valuesFiles…> --set <sets…>}.
   * Helm validates the values against values.schema.json first and throws when they do not pass.
   */
  public String template(List<Path> valuesFiles, Map<String, String> sets) {
    TemplateCommand command =
        new Helm(chartDir).template().withName(RELEASE).withNamespace(NAMESPACE);
    for (Path file : valuesFiles) {
      command = command.withValuesFile(file.toAbsolutePath());
    }
    for (Map.Entry<String, String> set : new LinkedHashMap<>(sets).entrySet()) {
      command = command.set(set.getKey(), set.getValue());
    }
    return command.call();
  }
}
