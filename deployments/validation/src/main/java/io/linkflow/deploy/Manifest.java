package io.linkflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Kubernetes object read from a deployment file or from a rendering ({@code kubectl kustomize},
 * {@code helm template}), with where it came from so that every message can point at the file.
 *
 * @param source where it was read, e.g. {@code istio/virtual-service.yaml} or {@code kubectl
 *     kustomize deployments/k8s/overlays/production}
 * @param object the object as parsed from YAML
 */
public record Manifest(String source, JsonNode object) {

  public String apiVersion() {
    return object.path("apiVersion").asText("");
  }

  public String kind() {
    return object.path("kind").asText("");
  }

  public String name() {
    return object.path("metadata").path("name").asText("");
  }

  /** The namespace written in the object, or {@code ""} when it has none. */
  public String namespace() {
    return object.path("metadata").path("namespace").asText("");
  }

  /** The API group, {@code ""} for the core group ({@code apiVersion: v1}). */
  public String group() {
    String apiVersion = apiVersion();
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  public Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>();
    object
        .path("metadata")
        .path("labels")
        .properties()
        .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  /** {@code Kind namespace/name}, the identity used to compare sets of objects. */
  public String id() {
    String namespace = namespace();
    return kind() + " " + (namespace.isEmpty() ? "" : namespace + "/") + name();
  }

  /** {@code apiVersion Kind namespace/name (from source)}: how messages name the object. */
  public String describe() {
    return apiVersion() + " " + id() + " (from " + source + ")";
  }

  @Override
  public String toString() {
    return describe();
  }
}
