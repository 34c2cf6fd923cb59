package io.linkflow.localstack;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** A detached infrastructure process (PostgreSQL, Kafka, Redis, S3) managed through a pid file. */
public abstract class InfraComponent {

  protected final Home home;

  protected InfraComponent(Home home) {
    this.home = home;
  }

  public abstract String name();

  public abstract int port();

  /** Address as a client would use it, e.g. {@code localhost:5432}. */
  public abstract String address();

  /** Address plus how to log in, for the start-up summary. */
  public String details() {
    return address();
  }

  /** Prepares (extract, init, format) and spawns the process; returns without waiting. */
  protected abstract void spawn();

  /** True when the component accepts requests. */
  protected abstract boolean ready();

  /** Idempotent setup after the component is ready (databases, topics, buckets). */
  protected void afterReady() {}

  public Path log() {
    return home.log(name());
  }

  public Path pidFile() {
    return home.pidFile(name());
  }

  /** The live pid from the pid file, if that process still runs this component's program. */
  public Optional<Long> pid() {
    return Procs.livePid(pidFile()).filter(this::isOurs);
  }

  /** Program name the process must run (guards against a recycled pid). */
  protected String program() {
    return "java";
  }

  private boolean isOurs(long pid) {
    Optional<String> command = ProcessHandle.of(pid).flatMap(h -> h.info().command());
    return command.isEmpty() || Path.of(command.get()).getFileName().toString().equals(program());
  }

  public boolean running() {
    return pid().isPresent();
  }

  /** Spawns the process unless it already runs. Returns true when it was started now. */
  public boolean startIfNeeded() {
    if (running()) {
      return false;
    }
    if (Procs.portOpen(port())) {
      throw new IllegalStateException(
          name()
              + ": port "
              + port()
              + " is already in use by a process this tool did not start. Stop it, or choose"
              + " another port with the environment variable for "
              + name()
              + " (see deployments/local/README.md).");
    }
    spawn();
    return true;
  }

  /** Waits until ready; fails with a message pointing at the log file. */
  public void awaitReady(Duration timeout) {
    waitFor(timeout, this::ready);
    afterReady();
  }

  protected void waitFor(Duration timeout, BooleanSupplier check) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (check.getAsBoolean()) {
        return;
      }
      if (!running()) {
        throw failure("exited during start-up");
      }
      if (System.nanoTime() > deadline) {
        throw failure("not ready after " + timeout.toSeconds() + " s");
      }
      sleep(250);
    }
  }

  protected IllegalStateException failure(String what) {
    StringBuilder sb = new StringBuilder();
    sb.append(name()).append(' ').append(what).append(". See ").append(log()).append(":\n");
    for (String line : Procs.tail(log(), 15)) {
      sb.append("    ").append(line).append('\n');
    }
    return new IllegalStateException(sb.toString());
  }

  /** SIGTERM, up to 15 s, then SIGKILL; removes the pid file. */
  public void stop() {
    Optional<Long> pid = pid();
    pid.ifPresent(p -> Procs.stop(p, Duration.ofSeconds(15)));
    deletePidFile();
  }

  protected void deletePidFile() {
    try {
      Files.deleteIfExists(pidFile());
    } catch (IOException e) {
      // ignore
    }
  }

  protected static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Classpath for the broker/s3proxy JVMs: this launcher's own (the module's dependencies). */
  protected static String classpath() {
    return java.util.Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(java.util.stream.Collectors.joining(File.pathSeparator));
  }

  /** Logback configuration for child JVMs (INFO to stdout, which goes to the log file). */
  protected Path logbackConfig() {
    Path file = home.conf().resolve("logback-child.xml");
    try {
      Files.writeString(
          file,
          """
          <configuration>
            <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
              <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
            </appender>
            <logger name="org.apache.kafka.clients" level="WARN"/>
            <logger name="org.apache.kafka.common.config.AbstractConfig" level="WARN"/>
            <logger name="kafka.server.KafkaConfig" level="WARN"/>
            <logger name="org.apache.kafka.common.utils.AppInfoParser" level="WARN"/>
            <root level="INFO"><appender-ref ref="OUT"/></root>
          </configuration>
          """);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return file;
  }

  protected static List<String> jvmOpts(String envName, String defaults) {
    return List.of(Home.env(envName, defaults).trim().split("\\s+"));
  }
}
