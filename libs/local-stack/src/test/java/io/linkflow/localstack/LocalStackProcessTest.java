package io.linkflow.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end: the launcher as a separate process against a temporary LINKFLOW_HOME and free ports:
 * infra-up, infra-status, infra-stop/infra-start kafka, infra-down, and no process left behind.
 * About 30 s; part of the default test run since it proves infra-down leaves nothing behind.
 */
class LocalStackProcessTest {

  static Path home;
  static final Map<String, String> env = new HashMap<>();

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @BeforeAll
  static void ports() throws IOException {
    // Under target/ with default permissions (not @TempDir's 0700): when the build runs as root,
    // PostgreSQL runs as 'nobody' and must reach its files.
    Path tmp = Files.createDirectories(Path.of("target", "it-home"));
    home = Files.createTempDirectory(tmp.toAbsolutePath(), "stack-");
    Files.setPosixFilePermissions(
        home, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    env.put("LINKFLOW_HOME", home.toString());
    env.put("LINKFLOW_PG_PORT", Integer.toString(freePort()));
    env.put("LINKFLOW_KAFKA_PORT", Integer.toString(freePort()));
    env.put("LINKFLOW_KAFKA_CONTROLLER_PORT", Integer.toString(freePort()));
    env.put("LINKFLOW_REDIS_PORT", Integer.toString(freePort()));
    env.put("LINKFLOW_S3_PORT", Integer.toString(freePort()));
    env.put("LINKFLOW_EDGE_PORT", Integer.toString(freePort()));
  }

  @AfterAll
  static void down() throws Exception {
    launcher("infra-down");
    try (var files = Files.walk(home)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  record Result(int exit, String output) {}

  static Result launcher(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Procs.javaBin(),
                "-cp",
                System.getProperty("java.class.path"),
                LocalStack.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    return new Result(p.exitValue(), out);
  }

  static long pid(String component) throws IOException {
    return Long.parseLong(Files.readString(home.resolve("run/" + component + ".pid")).trim());
  }

  @Test
  void infraLifecycle() throws Exception {
    Result up = launcher("infra-up");
    assertEquals(0, up.exit(), up.output());
    List<Long> pids = new ArrayList<>();
    for (String c : List.of("postgres", "kafka", "redis", "s3")) {
      long pid = pid(c);
      assertTrue(Procs.alive(pid), c + " not alive\n" + up.output());
      pids.add(pid);
      pids.addAll(
          ProcessHandle.of(pid).map(h -> h.descendants().map(ProcessHandle::pid).toList()).get());
    }

    Result again = launcher("infra-up");
    assertEquals(0, again.exit(), again.output());
    assertEquals(pids.get(0), pid("postgres"), "infra-up must not start a second postgres");

    Result status = launcher("infra-status");
    assertTrue(status.output().lines().filter(l -> l.contains(" running ")).count() >= 4);

    long kafkaPid = pid("kafka");
    Result stop = launcher("infra-stop", "kafka");
    assertEquals(0, stop.exit(), stop.output());
    assertFalse(Procs.alive(kafkaPid));
    Result start = launcher("infra-start", "kafka");
    assertEquals(0, start.exit(), start.output());
    pids.add(pid("kafka"));
    assertTrue(Procs.alive(pid("kafka")));

    Result down = launcher("infra-down");
    assertEquals(0, down.exit(), down.output());
    for (long pid : pids) {
      assertFalse(Procs.alive(pid), "process " + pid + " survived infra-down");
    }
    assertTrue(Files.exists(home.resolve("data/postgres/PG_VERSION")), "data must stay");
  }
}
