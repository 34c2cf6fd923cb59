package io.linkflow.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the local stack keeps its state: {@code .linkflow/} under the current directory (the
 * repository root) unless {@code LINKFLOW_HOME} says otherwise.
 */
public final class Home {

  private final Path root;

  public Home(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public static Home fromEnvironment() {
    String env = System.getenv("LINKFLOW_HOME");
    return new Home(env == null || env.isBlank() ? Path.of(".linkflow") : Path.of(env));
  }

  public Path root() {
    return root;
  }

  public Path data(String component) {
    return dir(root.resolve("data").resolve(component));
  }

  public Path bin(String component) {
    return dir(root.resolve("bin").resolve(component));
  }

  public Path run() {
    return dir(root.resolve("run"));
  }

  public Path conf() {
    return dir(root.resolve("conf"));
  }

  public Path logs() {
    return dir(root.resolve("logs"));
  }

  public Path log(String component) {
    return logs().resolve(component + ".log");
  }

  public Path pidFile(String component) {
    return run().resolve(component + ".pid");
  }

  static Path dir(Path path) {
    try {
      return Files.createDirectories(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Integer setting from the environment, e.g. {@code LINKFLOW_PG_PORT}. */
  public static int intEnv(String name, int defaultValue) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'");
    }
  }

  public static String env(String name, String defaultValue) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? defaultValue : value;
  }
}
