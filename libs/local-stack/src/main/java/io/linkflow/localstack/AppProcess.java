package io.linkflow.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A LinkFlow service (quarkus-run.jar) or the edge, run detached like the infrastructure. */
public final class AppProcess extends InfraComponent {

  static final String DEFAULT_SERVICE_JVM_OPTS =
      "-XX:+UseSerialGC -Xms32m -Xmx192m -XX:MaxMetaspaceSize=160m -Xss512k"
          + " -XX:ReservedCodeCacheSize=48m -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1"
          + " -XX:MaxDirectMemorySize=64m -Djava.net.preferIPv4Stack=true";

  /**
   * The services every execution passes through (execution, executor, webhook) get the full JIT (C1
   * and C2) and more heap: the defaults above trade peak speed for memory, which suits the other
   * thirteen on a laptop but not the engine's hot path. Override: LINKFLOW_HOT_SERVICE_JVM_OPTS.
   */
  static final String DEFAULT_HOT_SERVICE_JVM_OPTS =
      "-XX:+UseSerialGC -Xms64m -Xmx512m -XX:MaxMetaspaceSize=192m -Xss512k"
          + " -XX:ReservedCodeCacheSize=96m -XX:MaxDirectMemorySize=128m"
          + " -Djava.net.preferIPv4Stack=true";

  static final java.util.Set<String> HOT_SERVICES =
      java.util.Set.of("execution", "executor", "webhook");

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final String name;
  private final int port;
  private final String healthPath;
  private final Catalog.Service service;

  private AppProcess(Home home, String name, int port, String healthPath, Catalog.Service service) {
    super(home);
    this.name = name;
    this.port = port;
    this.healthPath = healthPath;
    this.service = service;
  }

  /** What the SSRF guard lets workflows reach on a developer's machine. */
  static final String LOCAL_ALLOWED_HOSTS = "127.0.0.1,localhost";

  public static AppProcess service(Home home, Catalog.Service service) {
    return new AppProcess(home, service.id(), service.port(), "/health/ready", service);
  }

  public static AppProcess edge(Home home) {
    return new AppProcess(home, "edge", Home.intEnv("LINKFLOW_EDGE_PORT", 8000), "/health", null);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public String address() {
    return "http://localhost:" + port;
  }

  public Path jar() {
    return Path.of(service.moduleDir(), "target", "quarkus-app", "quarkus-run.jar");
  }

  @Override
  protected void spawn() {
    List<String> command = new ArrayList<>(List.of(Procs.javaBin()));
    if (service != null) {
      command.addAll(
          HOT_SERVICES.contains(service.name())
              ? jvmOpts("LINKFLOW_HOT_SERVICE_JVM_OPTS", DEFAULT_HOT_SERVICE_JVM_OPTS)
              : jvmOpts("LINKFLOW_SERVICE_JVM_OPTS", DEFAULT_SERVICE_JVM_OPTS));
      command.addAll(
          List.of("-Dquarkus.http.port=" + port, "-jar", jar().toAbsolutePath().toString()));
    } else {
      command.addAll(
          jvmOpts(
              "LINKFLOW_EDGE_JVM_OPTS",
              "-XX:+UseSerialGC -Xms16m -Xmx96m -Xss512k -XX:TieredStopAtLevel=1"));
      command.addAll(
          List.of(
              "-Dlogback.configurationFile=" + logbackConfig(),
              "-cp",
              classpath(),
              LocalStack.class.getName(),
              "edge"));
    }
    Map<String, String> env = new java.util.HashMap<>();
    env.put("LINKFLOW_EDGE_PORT", Integer.toString(port));
    if (service != null) {
      env.putAll(LocalSecrets.load(home));
      // On a developer's machine, workflows may call local endpoints (HTTP Request, OAuth2 token
      // URLs): the SSRF guard allows loopback here unless LINKFLOW_OUTBOUND_ALLOWED_HOSTS is set.
      if (System.getenv("LINKFLOW_OUTBOUND_ALLOWED_HOSTS") == null) {
        env.put("LINKFLOW_OUTBOUND_ALLOWED_HOSTS", LOCAL_ALLOWED_HOSTS);
      }
    }
    Procs.startDetached(command, Path.of("").toAbsolutePath(), log(), pidFile(), env);
  }

  /** 200 from the readiness endpoint. */
  @Override
  protected boolean ready() {
    try {
      HttpResponse<Void> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + healthPath))
                  .timeout(Duration.ofSeconds(3))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public boolean healthy() {
    return ready();
  }

  public boolean jarExists() {
    return service == null || Files.isRegularFile(jar());
  }
}
