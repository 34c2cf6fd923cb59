package io.linkflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rendered objects keyed by "Kind/name" (one namespace), for the chart's tests. */
final class ChartObjects {

  /** The services, from the services/ directory. */
  static final List<String> SERVICES = HelmChart.services();

  private ChartObjects() {}

  static Map<String, JsonNode> byKindAndName(String helmOutput) {
    Map<String, JsonNode> objects = new LinkedHashMap<>();
    for (K8sRender.Document d : K8sRender.documents(helmOutput)) {
      JsonNode previous = objects.put(d.kind() + "/" + d.name(), d.object());
      if (previous != null) {
        throw new AssertionError("rendered twice: " + d.kind() + "/" + d.name());
      }
    }
    return objects;
  }

  static Map<String, JsonNode> ofKind(Map<String, JsonNode> objects, String kind) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    objects.forEach(
        (key, object) -> {
          if (key.startsWith(kind + "/")) {
            out.put(key.substring(kind.length() + 1), object);
          }
        });
    return out;
  }

  static JsonNode container(JsonNode deployment) {
    return deployment.path("spec").path("template").path("spec").path("containers").path(0);
  }
}
