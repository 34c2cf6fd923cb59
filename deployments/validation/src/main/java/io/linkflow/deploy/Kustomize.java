package io.linkflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds kustomize directories offline with {@code kubectl kustomize DIR} (kubectl's built-in
 * kustomize; no cluster is contacted), or with a standalone {@code kustomize build DIR} when there
 * is no kubectl. The binary is {@code $KUBECTL} (or {@code $KUSTOMIZE}) if set, else the first one
 * on the PATH. Kustomize v4 or newer is required (the overlays use {@code patches:} and {@code
 * labels:}); Debian's kubernetes-client (kubectl 1.20, kustomize v2) is too old.
 */
public final class Kustomize {

  /** The oldest kustomize major version the files are written for. */
  public static final int MINIMUM_MAJOR = 4;

  private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+)");
  private static final long TIMEOUT_SECONDS = 120;

  private final List<String> command;
  private final String version;

  private Kustomize(List<String> command, String version) {
    this.command = command;
    this.version = version;
  }

  /**
   * The kustomize found on this machine.
   *
   * @throws IllegalStateException naming what to install when there is none, or it is too old
   */
  public static Kustomize find() {
    Optional<String> kubectl = binary("KUBECTL", "kubectl");
    if (kubectl.isPresent()) {
      Run run = run(List.of(kubectl.get(), "version", "--client", "-o", "json"), null);
      if (run.exitCode() == 0) {
        String version = kustomizeVersionOfKubectl(run.stdout());
        return checked(List.of(kubectl.get(), "kustomize"), version, kubectl.get());
      }
    }
    Optional<String> kustomize = binary("KUSTOMIZE", "kustomize");
    if (kustomize.isPresent()) {
      Run run = run(List.of(kustomize.get(), "version"), null);
      if (run.exitCode() == 0) {
        return checked(List.of(kustomize.get(), "build"), run.stdout().strip(), kustomize.get());
      }
    }
    throw new IllegalStateException(
        "No kustomize found: the deployment checks build deployments/k8s/overlays/* with `kubectl"
            + " kustomize`. Install kubectl 1.21 or newer (kustomize v4+; Debian's"
            + " kubernetes-client 1.20 is too old), or a standalone kustomize v4+, put it on the"
            + " PATH or point $KUBECTL / $KUSTOMIZE at it.");
  }

  /** The kustomize version, e.g. {@code v5.5.0}. */
  public String version() {
    return version;
  }

  /** The command that builds a directory, e.g. {@code kubectl kustomize}. */
  public String command() {
    return String.join(" ", command);
  }

  /** The YAML {@code kustomize build} prints for {@code dir}. */
  public String build(Path dir) {
    List<String> args = new ArrayList<>(command);
    args.add(dir.toAbsolutePath().toString());
    Run run = run(args, dir.toAbsolutePath());
    if (run.exitCode() != 0) {
      throw new IllegalStateException(
          "`" + command() + " " + dir + "` failed (exit " + run.exitCode() + "):\n" + run.stderr());
    }
    return run.stdout();
  }

  /** The objects {@code kustomize build} produces for {@code dir} (relative to {@code root}). */
  public List<Manifest> manifests(Path root, Path dir) {
    Path relative = root.relativize(dir.toAbsolutePath());
    return Manifests.parse(build(dir), command() + " " + relative);
  }

  static String kustomizeVersionOfKubectl(String versionJson) {
    try {
      JsonNode json = new ObjectMapper().readTree(versionJson);
      return json.path("kustomizeVersion").asText("");
    } catch (IOException e) {
      return "";
    }
  }

  static Kustomize checked(List<String> command, String version, String binary) {
    Matcher m = VERSION.matcher(version);
    if (!m.find()) {
      throw new IllegalStateException(
          binary
              + " reports no kustomize version ('"
              + version
              + "'): kubectl 1.14-1.20 embeds kustomize v2, too old for these files. Install"
              + " kubectl 1.21+ or kustomize v"
              + MINIMUM_MAJOR
              + "+.");
    }
    if (Integer.parseInt(m.group(1)) < MINIMUM_MAJOR) {
      throw new IllegalStateException(
          binary
              + " has kustomize "
              + version
              + ", older than v"
              + MINIMUM_MAJOR
              + ": install kubectl 1.21+ or kustomize v"
              + MINIMUM_MAJOR
              + "+.");
    }
    return new Kustomize(command, m.group());
  }

  private static Optional<String> binary(String variable, String name) {
    String configured = System.getenv(variable);
    if (configured != null && !configured.isBlank()) {
      return Optional.of(configured);
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate.toString());
      }
    }
    return Optional.empty();
  }

  private record Run(int exitCode, String stdout, String stderr) {}

  private static Run run(List<String> args, Path workingDir) {
    try {
      Path out = Files.createTempFile("kustomize", ".out");
      Path err = Files.createTempFile("kustomize", ".err");
      try {
        ProcessBuilder builder =
            new ProcessBuilder(args).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (workingDir != null) {
          builder.directory(workingDir.toFile());
        }
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(
              String.join(" ", args) + " did not finish within " + TIMEOUT_SECONDS + " s");
        }
        return new Run(
            process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", args), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", args), e);
    }
  }
}
