package io.linkflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The probes and the port of every service Deployment are the ones the code serves: liveness and
 * startup on the path of libs/common HealthResource's {@code live()}, readiness on {@code ready()},
 * both on the container port http = 8080, which is the LINKFLOW_HTTP_PORT the pod gets and the
 * variable the service's {@code quarkus.http.port} reads.
 */
class ProbesAndPortsTest {

  static final Path HEALTH_RESOURCE =
      Path.of("libs/common/src/main/java/io/linkflow/common/health/HealthResource.java");

  /** {@code @Path("…")} (class) then, per method, {@code @Path("…")} … {@code name(}. */
  private static final Pattern CLASS_PATH =
      Pattern.compile("@Path\\(\"([^\"]+)\"\\)\\s*(?:@\\w+(?:\\([^)]*\\))?\\s*)*public\\s+class");

  private static final Pattern METHOD_PATH =
      Pattern.compile(
          "@Path\\(\"([^\"]+)\"\\)\\s*(?:@\\w+(?:\\([^)]*\\))?\\s*)*public\\s+[\\w<>]+\\s+(\\w+)\\(");

  /** The served health paths by method name, e.g. live → /health/live. */
  static Map<String, String> healthPaths() throws IOException {
    String source = Files.readString(DeploymentFiles.ROOT.resolve(HEALTH_RESOURCE));
    Matcher c = CLASS_PATH.matcher(source);
    assertThat(c.find()).as("class-level @Path in " + HEALTH_RESOURCE).isTrue();
    Map<String, String> paths = new TreeMap<>();
    Matcher m = METHOD_PATH.matcher(source);
    while (m.find()) {
      paths.put(m.group(2), c.group(1) + m.group(1));
    }
    assertThat(paths)
        .as("@Path methods live() and ready() in " + HEALTH_RESOURCE)
        .containsKeys("live", "ready");
    return paths;
  }

  @Test
  void probesUseTheHealthPathsLibsCommonServes() throws IOException {
    Map<String, String> health = healthPaths();
    List<String> problems = new ArrayList<>();
    for (Path overlay : List.of(DeploymentFiles.PRODUCTION, DeploymentFiles.STAGING)) {
      List<Manifest> manifests = DeploymentFiles.built(overlay);
      for (String service : DeploymentFiles.services()) {
        for (Manifest deployment : deploymentsOf(manifests, service)) {
          JsonNode container = serviceContainer(deployment, service);
          if (container == null) {
            problems.add(deployment + ": no container named " + service + "-service");
            continue;
          }
          Map<String, String> expected =
              Map.of(
                  "startupProbe", health.get("live"),
                  "livenessProbe", health.get("live"),
                  "readinessProbe", health.get("ready"));
          expected.forEach(
              (probe, path) -> {
                JsonNode get = container.path(probe).path("httpGet");
                String port = get.path("port").asText();
                if (!get.path("path").asText().equals(path)) {
                  problems.add(
                      deployment
                          + ": "
                          + probe
                          + ".httpGet.path is '"
                          + get.path("path").asText()
                          + "', the service serves "
                          + path);
                }
                if (!port.equals("http") && !port.equals("8080")) {
                  problems.add(
                      deployment
                          + ": "
                          + probe
                          + ".httpGet.port is '"
                          + port
                          + "', expected http (8080)");
                }
              });
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void theContainerPortIsTheHttpPortTheServiceReads() throws IOException {
    List<String> problems = new ArrayList<>();
    for (Path overlay : List.of(DeploymentFiles.PRODUCTION, DeploymentFiles.STAGING)) {
      List<Manifest> manifests = DeploymentFiles.built(overlay);
      for (String service : DeploymentFiles.services()) {
        String property = quarkusHttpPort(service);
        if (!property.startsWith("${LINKFLOW_HTTP_PORT")) {
          problems.add(
              "services/"
                  + service
                  + "-service application.properties: quarkus.http.port is '"
                  + property
                  + "'; it must read ${LINKFLOW_HTTP_PORT:…} so Kubernetes can set 8080");
        }
        for (Manifest deployment : deploymentsOf(manifests, service)) {
          JsonNode container = serviceContainer(deployment, service);
          if (container == null) {
            continue;
          }
          int containerPort = -1;
          for (JsonNode port : container.path("ports")) {
            if (port.path("name").asText().equals("http")) {
              containerPort = port.path("containerPort").asInt();
            }
          }
          if (containerPort != 8080) {
            problems.add(
                deployment + ": container port http is " + containerPort + ", expected 8080");
          }
          String env = environment(manifests, container).get("LINKFLOW_HTTP_PORT");
          if (!String.valueOf(containerPort).equals(env)) {
            problems.add(
                deployment
                    + ": LINKFLOW_HTTP_PORT is "
                    + env
                    + " (env or envFrom ConfigMap), but the container port http is "
                    + containerPort);
          }
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  private static List<Manifest> deploymentsOf(List<Manifest> manifests, String service) {
    List<Manifest> deployments = new ArrayList<>();
    for (Manifest d : DeploymentFiles.ofKind(manifests, "Deployment")) {
      JsonNode labels = d.object().path("spec").path("template").path("metadata").path("labels");
      if (labels.path("app").asText().equals(service + "-service")) {
        deployments.add(d);
      }
    }
    assertThat(deployments).as("Deployments of %s-service", service).isNotEmpty();
    return deployments;
  }

  private static JsonNode serviceContainer(Manifest deployment, String service) {
    for (JsonNode c :
        deployment.object().path("spec").path("template").path("spec").path("containers")) {
      if (c.path("name").asText().equals(service + "-service")) {
        return c;
      }
    }
    return null;
  }

  /** The container's environment: envFrom ConfigMaps (of the same build), then env values. */
  static Map<String, String> environment(List<Manifest> manifests, JsonNode container) {
    Map<String, String> env = new TreeMap<>();
    for (JsonNode from : container.path("envFrom")) {
      String configMap = from.path("configMapRef").path("name").asText(null);
      if (configMap != null) {
        Manifest cm = DeploymentFiles.find(manifests, "ConfigMap", configMap);
        assertThat(cm).as("ConfigMap %s referenced by envFrom", configMap).isNotNull();
        cm.object()
            .path("data")
            .properties()
            .forEach(e -> env.put(e.getKey(), e.getValue().asText()));
      }
    }
    for (JsonNode e : container.path("env")) {
      if (e.has("value")) {
        env.put(e.path("name").asText(), e.path("value").asText());
      }
    }
    return env;
  }

  /**
   * The service's {@code quarkus.http.port}; a profile-specific one ({@code %prod.…}) must read the
   * same variable, or Kubernetes could not set the port.
   */
  static String quarkusHttpPort(String service) throws IOException {
    Properties properties = new Properties();
    Path file =
        DeploymentFiles.ROOT.resolve(
            "services/" + service + "-service/src/main/resources/application.properties");
    try (Reader in = Files.newBufferedReader(file)) {
      properties.load(in);
    }
    String port = properties.getProperty("quarkus.http.port", "(unset)");
    for (String key : properties.stringPropertyNames()) {
      if (key.startsWith("%")
          && key.endsWith(".quarkus.http.port")
          && !properties.getProperty(key).startsWith("${LINKFLOW_HTTP_PORT")) {
        return key + "=" + properties.getProperty(key);
      }
    }
    return port;
  }
}
