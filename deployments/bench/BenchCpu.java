// CPU accounting shared by the benchmarks (deployments/bench): per process of the local stack, and
// the whole machine from /proc/stat. make bench compiles deployments/bench together; on JDK 22+
// java's multi-file source launcher also finds it beside a launched benchmark.

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

final class BenchCpu {

  private BenchCpu() {}

  /**
   * CPU time (ns) used so far by each part of the stack: each LinkFlow service, PostgreSQL (all its
   * processes), the Kafka broker, the local edge (:8000), this benchmark, and everything else.
   */
  static Map<String, Long> byProcess() {
    Map<String, Long> groups = new java.util.TreeMap<>();
    long self = ProcessHandle.current().pid();
    ProcessHandle.allProcesses().forEach(h -> {
      String cmd = h.info().commandLine().orElse("");
      String group;
      Matcher m = Pattern.compile("/([a-z]+-service)/target/quarkus-app").matcher(cmd);
      if (h.pid() == self) {
        group = "benchmark client";
      } else if (m.find()) {
        group = m.group(1);
      } else if (cmdline(h.pid()).contains("\0io.linkflow.localstack.LocalStack\0edge")) {
        group = "edge";
      } else if (cmdline(h.pid()).contains("\0kafka.Kafka\0")) {
        group = "kafka broker";
      } else if (h.info().command().orElse("").endsWith("/postgres")) {
        group = "postgresql";
      } else {
        group = "other";
      }
      groups.merge(group, of(h), Long::sum);
    });
    return groups;
  }

  static String cmdline(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")));
    } catch (Exception gone) {
      return "";
    }
  }

  static void print(Map<String, Long> before, Map<String, Long> after, int executions) {
    StringBuilder line = new StringBuilder("  CPU per execution by process (ms):");
    after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() / 1e6 / executions >= 0.01)
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .forEach(e -> line.append(String.format(" %s %.2f;", e.getKey(), e.getValue() / 1e6 / executions)));
    System.out.println(line);
  }

  static long of(ProcessHandle h) {
    return h == null ? 0 : h.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }
  /** user+nice+system+irq+softirq ticks of the whole machine (100 per second). */
  static long machineTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3])
          + Long.parseLong(f[6]) + Long.parseLong(f[7]);
    } catch (Exception e) {
      return 0;
    }
  }

}
