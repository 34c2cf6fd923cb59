package io.linkflow.localstack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Process helpers: detached start, pid files, liveness, stop, resident memory. */
public final class Procs {

  private Procs() {}

  /**
   * Starts {@code command} as a detached background process (own session via {@code setsid} when
   * available, stdin from /dev/null, stdout+stderr appended to {@code log}) that outlives this JVM,
   * and writes its pid to {@code pidFile}.
   */
  public static long startDetached(
      List<String> command, Path workDir, Path log, Path pidFile, Map<String, String> env) {
    List<String> full = new ArrayList<>();
    if (new File("/usr/bin/setsid").canExecute() || new File("/bin/setsid").canExecute()) {
      full.add("setsid");
    }
    full.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(full).directory(workDir.toFile());
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.redirectErrorStream(true);
    try {
      Files.writeString(
          log,
          "==== " + java.time.Instant.now() + " starting: " + abbreviate(full) + "\n",
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      Process process = pb.start();
      long pid = process.pid();
      Files.writeString(pidFile, pid + "\n");
      return pid;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + command.get(0), e);
    }
  }

  private static String abbreviate(List<String> command) {
    return String.join(
        " ",
        command.stream()
            .map(a -> a.length() > 160 ? a.substring(0, 60) + "...(classpath)" : a)
            .toList());
  }

  /** Runs a command to completion, output appended to {@code log}; returns the exit code. */
  public static int runAndWait(List<String> command, Path workDir, Path log, Duration timeout) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.redirectErrorStream(true);
    try {
      Process process = pb.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "Timed out after " + timeout.toSeconds() + " s: " + String.join(" ", command));
      }
      return process.exitValue();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static Optional<Long> readPid(Path pidFile) {
    try {
      if (!Files.isRegularFile(pidFile)) {
        return Optional.empty();
      }
      String text = Files.readString(pidFile).trim();
      return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  public static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** The pid from {@code pidFile} if that process is alive. */
  public static Optional<Long> livePid(Path pidFile) {
    return readPid(pidFile).filter(Procs::alive);
  }

  public static boolean portOpen(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Stops a process: SIGTERM, wait up to {@code grace}, then SIGKILL it and every process that was
   * its descendant. Returns true when nothing is left.
   */
  public static boolean stop(long pid, Duration grace) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return true;
    }
    List<ProcessHandle> tree = new ArrayList<>(handle.get().descendants().toList());
    handle.get().destroy();
    waitForExit(handle.get(), grace);
    tree.addAll(0, List.of(handle.get()));
    boolean clean = true;
    for (ProcessHandle p : tree) {
      if (p.isAlive()) {
        clean = false;
        p.destroyForcibly();
        waitForExit(p, Duration.ofSeconds(5));
      }
    }
    return clean;
  }

  static void waitForExit(ProcessHandle handle, Duration timeout) {
    try {
      handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // still alive (or interrupted): the caller decides
    }
  }

  /** Resident memory in kB of a process and all its descendants (VmRSS from /proc). */
  public static long rssKb(long pid) {
    return treeKb(pid, "status", "VmRSS:");
  }

  /**
   * Proportional set size in kB of a process and its descendants: pages shared between processes
   * (PostgreSQL's shared buffers, a JVM's mapped jars) counted once overall, not once per process.
   */
  public static long pssKb(long pid) {
    return treeKb(pid, "smaps_rollup", "Pss:");
  }

  private static long treeKb(long pid, String file, String field) {
    long total = procKb(pid, file, field);
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isPresent()) {
      for (ProcessHandle child : handle.get().descendants().toList()) {
        total += procKb(child.pid(), file, field);
      }
    }
    return total;
  }

  static long procKb(long pid, String file, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), file))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // process gone
    }
    return 0;
  }

  /** True when this JVM runs as root (PostgreSQL refuses to run as root). */
  public static boolean runningAsRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[2].equals("0");
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return "root".equals(System.getProperty("user.name"));
  }

  public static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Last {@code lines} lines of a log file (empty when absent). */
  public static List<String> tail(Path file, int lines) {
    try {
      if (!Files.exists(file)) {
        return List.of();
      }
      List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
      return all.subList(Math.max(0, all.size() - lines), all.size());
    } catch (IOException e) {
      return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
    }
  }

  public static String mb(long kb) {
    return String.format("%d MB", Math.round(kb / 1024.0));
  }
}
