package io.linkflow.localstack;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Runs LinkFlow locally on real infrastructure started from Maven artifacts (no Docker). Run from
 * the repository root; see deployments/local/README.md.
 */
public final class LocalStack {

  private final Home home;
  private final Postgres postgres;
  private final Kafka kafka;
  private final Redis redis;
  private final S3 s3;
  private final List<InfraComponent> infra;

  LocalStack(Home home) {
    this.home = home;
    this.postgres = new Postgres(home);
    this.kafka = new Kafka(home);
    this.redis = new Redis(home);
    this.s3 = new S3(home);
    this.infra = List.of(postgres, kafka, redis, s3);
  }

  public static void main(String[] args) {
    if (args.length == 0) {
      usage();
      System.exit(2);
    }
    LocalStack stack = new LocalStack(Home.fromEnvironment());
    int exit;
    try {
      exit = stack.run(args[0], args.length > 1 ? args[1] : null);
    } catch (RuntimeException e) {
      System.err.println("ERROR: " + e.getMessage());
      exit = 1;
    }
    if (!args[0].equals("edge")) {
      System.exit(exit);
    }
  }

  static void usage() {
    System.err.println(
        """
        usage: LocalStack <command> [arg]
          infra-up                      start postgres, kafka, redis, s3 (detached)
          infra-down                    stop services, edge and infrastructure (data stays)
          infra-status                  show what runs
          infra-start|infra-stop <c>    one of postgres|kafka|redis|s3
          db-migrate                    apply Flyway migrations of every database service
          run-local                     infra-up, db-migrate, start all services and the edge
          stop                          stop services and edge only
          logs [name]                   follow .linkflow/logs/*.log (Ctrl-C to end)
          edge                          run the edge proxy in the foreground
        """);
  }

  int run(String command, String arg) {
    return switch (command) {
      case "infra-up" -> infraUp();
      case "infra-down" -> infraDown();
      case "infra-status", "status" -> status();
      case "infra-start" -> infraStart(component(arg));
      case "infra-stop" -> infraStop(component(arg));
      case "db-migrate" -> dbMigrate();
      case "run-local" -> runLocal();
      case "stop" -> stopApps();
      case "logs" -> logs(arg);
      case "edge" -> edge();
      default -> {
        usage();
        yield 2;
      }
    };
  }

  private InfraComponent component(String name) {
    for (InfraComponent c : infra) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "Unknown component '" + name + "': expected one of postgres|kafka|redis|s3");
  }

  private Duration infraTimeout() {
    return Duration.ofSeconds(Home.intEnv("LINKFLOW_INFRA_TIMEOUT", 90));
  }

  int infraUp() {
    long start = System.nanoTime();
    Map<InfraComponent, Boolean> started = new LinkedHashMap<>();
    // Spawn all first (in parallel: extraction, initdb and storage format take a while on the
    // first run), then wait for each.
    Map<InfraComponent, java.util.concurrent.Future<Boolean>> spawning = new LinkedHashMap<>();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(infra.size())) {
      for (InfraComponent c : infra) {
        spawning.put(c, pool.submit(c::startIfNeeded));
      }
      for (var e : spawning.entrySet()) {
        try {
          started.put(e.getKey(), e.getValue().get());
        } catch (java.util.concurrent.ExecutionException ex) {
          throw ex.getCause() instanceof RuntimeException re
              ? re
              : new IllegalStateException(ex.getCause());
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(ex);
        }
      }
    }
    for (InfraComponent c : infra) {
      c.awaitReady(infraTimeout());
      System.out.printf(
          "  %-9s %-8s %s%n", c.name(), started.get(c) ? "started" : "running", c.details());
    }
    System.out.printf(
        "Infrastructure up in %.1f s (logs in %s)%n",
        (System.nanoTime() - start) / 1e9, home.logs());
    return 0;
  }

  int infraStart(InfraComponent c) {
    boolean started = c.startIfNeeded();
    c.awaitReady(infraTimeout());
    System.out.printf("  %-9s %-8s %s%n", c.name(), started ? "started" : "running", c.details());
    return 0;
  }

  int infraStop(InfraComponent c) {
    boolean wasRunning = c.running();
    c.stop();
    System.out.printf("  %-9s %s%n", c.name(), wasRunning ? "stopped" : "was not running");
    return 0;
  }

  int infraDown() {
    stopApps();
    List<InfraComponent> reversed = new ArrayList<>(infra);
    java.util.Collections.reverse(reversed);
    stopAll(reversed);
    return 0;
  }

  int stopApps() {
    List<InfraComponent> apps = new ArrayList<>();
    apps.add(AppProcess.edge(home));
    for (Catalog.Service s : Catalog.SERVICES) {
      apps.add(AppProcess.service(home, s));
    }
    stopAll(apps);
    return 0;
  }

  /** Stops components in parallel (each: SIGTERM, wait, SIGKILL) and reports the running ones. */
  private static void stopAll(List<InfraComponent> components) {
    List<Thread> threads = new ArrayList<>();
    for (InfraComponent c : components) {
      if (!c.running()) {
        c.deletePidFile();
        continue;
      }
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    c.stop();
                    System.out.printf("  %-22s stopped%n", c.name());
                  }));
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  int status() {
    System.out.printf("%-22s %-24s %-8s %-8s %s%n", "COMPONENT", "ADDRESS", "PID", "STATE", "RSS");
    List<InfraComponent> all = new ArrayList<>(infra);
    all.add(AppProcess.edge(home));
    for (Catalog.Service s : Catalog.SERVICES) {
      all.add(AppProcess.service(home, s));
    }
    for (InfraComponent c : all) {
      Optional<Long> pid = c.pid();
      System.out.printf(
          "%-22s %-24s %-8s %-8s %s%n",
          c.name(),
          c.address(),
          pid.map(String::valueOf).orElse("-"),
          pid.isPresent() ? "running" : "stopped",
          pid.map(p -> Procs.mb(Procs.rssKb(p))).orElse(""));
    }
    return 0;
  }

  int dbMigrate() {
    if (!postgres.running()) {
      throw new IllegalStateException("PostgreSQL is not running: run `make infra-up` first.");
    }
    postgres.awaitReady(infraTimeout());
    System.out.println("Flyway migrations:");
    return new Migrator(postgres, Path.of("").toAbsolutePath()).migrateAll() ? 0 : 1;
  }

  int runLocal() {
    long start = System.nanoTime();
    List<AppProcess> services = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Catalog.Service s : Catalog.SERVICES) {
      AppProcess p = AppProcess.service(home, s);
      services.add(p);
      if (!p.jarExists()) {
        missing.add(p.jar().toString());
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "Service jars are missing (run `make build` first):\n  " + String.join("\n  ", missing));
    }
    infraUp();
    if (dbMigrate() != 0) {
      throw new IllegalStateException("db-migrate failed; see above.");
    }
    for (AppProcess p : services) {
      p.startIfNeeded();
    }
    AppProcess edge = AppProcess.edge(home);
    edge.startIfNeeded();
    System.out.println("Started " + services.size() + " services and the edge; waiting for health");

    long timeoutNanos = Duration.ofSeconds(Home.intEnv("LINKFLOW_READY_TIMEOUT", 180)).toNanos();
    Map<AppProcess, String> state = new LinkedHashMap<>();
    int lastHealthy = -1;
    while (true) {
      int healthy = 0;
      int down = 0;
      for (AppProcess p : services) {
        String s = p.healthy() ? "healthy" : p.running() ? "unhealthy" : "down";
        state.put(p, s);
        healthy += s.equals("healthy") ? 1 : 0;
        down += s.equals("down") ? 1 : 0;
      }
      long elapsed = System.nanoTime() - start;
      if (healthy != lastHealthy) {
        System.out.printf("  %3.0f s: %d/%d healthy%n", elapsed / 1e9, healthy, services.size());
        lastHealthy = healthy;
      }
      boolean edgeUp = edge.healthy();
      if ((healthy == services.size() && edgeUp)
          || elapsed > timeoutNanos
          || healthy + down == services.size() && down > 0) {
        break;
      }
      InfraComponent.sleep(1000);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.println();
    System.out.printf("%-22s %-24s %s%n", "SERVICE", "URL", "STATE");
    for (AppProcess p : services) {
      System.out.printf("%-22s %-24s %s%n", p.name(), p.address(), state.get(p));
    }
    System.out.printf(
        "%-22s %-24s %s%n", "edge", edge.address(), edge.healthy() ? "healthy" : "down");
    long rssKb = 0;
    long pssKb = 0;
    List<InfraComponent> everything = new ArrayList<>(infra);
    everything.addAll(services);
    everything.add(edge);
    for (InfraComponent c : everything) {
      rssKb += c.pid().map(Procs::rssKb).orElse(0L);
      pssKb += c.pid().map(Procs::pssKb).orElse(0L);
    }
    List<AppProcess> failing =
        services.stream().filter(p -> !state.get(p).equals("healthy")).toList();
    System.out.printf(
        "%nAPI: %s   memory of the stack: RSS %s, PSS %s (shared pages once)   %s after %.0f s%n",
        edge.address(),
        Procs.mb(rssKb),
        Procs.mb(pssKb),
        failing.isEmpty() ? "all healthy" : failing.size() + " NOT healthy",
        seconds);
    System.out.println("Logs: make logs (or .linkflow/logs/)   Stop: make infra-down");
    if (failing.isEmpty()) {
      return 0;
    }
    for (AppProcess p : failing) {
      System.out.println("\n---- " + p.log() + " (last 30 lines) ----");
      Procs.tail(p.log(), 30).forEach(System.out::println);
    }
    return 1;
  }

  int logs(String only) {
    try {
      new LogTail(home.logs(), only).follow();
      return 0;
    } catch (InterruptedException e) {
      return 0;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  int edge() {
    Path kong = Path.of(Home.env("LINKFLOW_KONG_FILE", "kong/kong.yml"));
    if (!Files.isRegularFile(kong)) {
      throw new IllegalStateException(
          kong.toAbsolutePath() + " not found (run from the repo root)");
    }
    RouteTable routes = RouteTable.parse(kong);
    int port = Home.intEnv("LINKFLOW_EDGE_PORT", 8000);
    Vertx vertx = Vertx.vertx();
    Edge edge = new Edge(vertx, routes, Catalog.localPortsByServiceId());
    try {
      edge.listen(port).toCompletionStage().toCompletableFuture().get();
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("Edge cannot listen on port " + port + ": " + e, e);
    }
    System.out.println(
        "Edge listening on http://localhost:"
            + port
            + " with "
            + routes.routes().size()
            + " routes from "
            + kong);
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  edge.close();
                  vertx.close();
                  done.countDown();
                }));
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
