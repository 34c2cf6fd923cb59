package io.linkflow.deploy;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.NodePath;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Strict schema validation of Kubernetes objects, offline: what {@code kubeconform -strict} does,
 * for every kind LinkFlow ships. An unknown or misspelt field anywhere, a value of the wrong type
 * and an apiVersion/kind with no schema all fail, with the object and the JSON path.
 *
 * <ul>
 *   <li>Kubernetes (core, apps, autoscaling, policy, batch, rbac, networking, …), Istio ({@code
 *       networking.istio.io}, {@code security.istio.io}, {@code telemetry.istio.io}) and the
 *       Prometheus Operator ({@code monitoring.coreos.com}): fabric8's typed models; Strimzi
 *       ({@code kafka.strimzi.io}): Strimzi's own API model. Jackson reads them leniently and keeps
 *       every field it does not know in an {@code additionalProperties} map, so after parsing the
 *       whole object graph is walked and every non-empty such map is a violation.
 *   <li>KEDA ({@code keda.sh}) and Argo CD ({@code argoproj.io}) have no Java model: the
 *       openAPIV3Schema of their CRDs (vendored in {@code src/test/resources/schemas}, see its
 *       README) is validated with additionalProperties: false added wherever a schema lists its
 *       properties and does not preserve unknown fields. Their metadata is checked with the typed
 *       {@link ObjectMeta}.
 * </ul>
 */
final class StrictSchema {

  /** API versions Kubernetes has removed (1.16–1.29): objects using them no longer apply. */
  private static final Map<String, String> REMOVED_API_VERSIONS =
      Map.ofEntries(
          Map.entry("extensions/v1beta1", "apps/v1 or networking.k8s.io/v1"),
          Map.entry("apps/v1beta1", "apps/v1"),
          Map.entry("apps/v1beta2", "apps/v1"),
          Map.entry("autoscaling/v2beta1", "autoscaling/v2"),
          Map.entry("autoscaling/v2beta2", "autoscaling/v2"),
          Map.entry("policy/v1beta1", "policy/v1"),
          Map.entry("batch/v1beta1", "batch/v1"),
          Map.entry("networking.k8s.io/v1beta1", "networking.k8s.io/v1"),
          Map.entry("rbac.authorization.k8s.io/v1beta1", "rbac.authorization.k8s.io/v1"),
          Map.entry("flowcontrol.apiserver.k8s.io/v1beta2", "flowcontrol.apiserver.k8s.io/v1"));

  /** Strimzi kinds (kafka.strimzi.io/v1beta2) and their model classes. */
  private static final Map<String, Class<?>> STRIMZI =
      Map.of(
          "kafka.strimzi.io/v1beta2 Kafka",
          io.strimzi.api.kafka.model.kafka.Kafka.class,
          "kafka.strimzi.io/v1beta2 KafkaNodePool",
          io.strimzi.api.kafka.model.nodepool.KafkaNodePool.class,
          "kafka.strimzi.io/v1beta2 KafkaTopic",
          io.strimzi.api.kafka.model.topic.KafkaTopic.class,
          "kafka.strimzi.io/v1beta2 KafkaUser",
          io.strimzi.api.kafka.model.user.KafkaUser.class);

  /** CRDs without a Java model: {@code apiVersion Kind} → vendored schema file. */
  private static final Map<String, String> CRD_SCHEMAS =
      Map.of(
          "keda.sh/v1alpha1 ScaledObject", "keda.sh_v1alpha1_ScaledObject.json",
          "keda.sh/v1alpha1 TriggerAuthentication", "keda.sh_v1alpha1_TriggerAuthentication.json",
          "argoproj.io/v1alpha1 Application", "argoproj.io_v1alpha1_Application.json",
          "argoproj.io/v1alpha1 AppProject", "argoproj.io_v1alpha1_AppProject.json");

  private static final KubernetesSerialization FABRIC8 = new KubernetesSerialization();

  /** Reads Strimzi objects; unknown fields land in their additionalProperties like fabric8's. */
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(Dialects.getDraft202012());

  private static final Map<String, Schema> COMPILED = new ConcurrentHashMap<>();

  private StrictSchema() {}

  /** Whether a schema is known for this apiVersion and kind. */
  static boolean knows(String apiVersion, String kind) {
    String key = apiVersion + " " + kind;
    if (STRIMZI.containsKey(key) || CRD_SCHEMAS.containsKey(key)) {
      return true;
    }
    ObjectNode probe = JsonNodeFactory.instance.objectNode();
    probe.put("apiVersion", apiVersion).put("kind", kind);
    return !(FABRIC8.unmarshal(probe.toString()) instanceof GenericKubernetesResource);
  }

  /**
   * The violations of one object: each names the object (and its file) and the JSON path, and says
   * what is wrong. Empty when the object is valid.
   */
  static List<String> validate(Manifest manifest) {
    List<String> violations = new ArrayList<>();
    String key = manifest.apiVersion() + " " + manifest.kind();
    String replacement = REMOVED_API_VERSIONS.get(manifest.apiVersion());
    if (replacement != null) {
      violations.add(
          manifest.describe()
              + ": apiVersion "
              + manifest.apiVersion()
              + " has been removed from Kubernetes; use "
              + replacement);
      return violations;
    }
    try {
      if (CRD_SCHEMAS.containsKey(key)) {
        validateAgainstCrdSchema(manifest, CRD_SCHEMAS.get(key), violations);
      } else if (STRIMZI.containsKey(key)) {
        Object typed = MAPPER.treeToValue(manifest.object(), STRIMZI.get(key));
        walk(typed, "", violations, manifest, new IdentityHashMap<>());
        compare(manifest.object(), MAPPER.valueToTree(typed), "", violations, manifest);
      } else {
        KubernetesResource typed = FABRIC8.unmarshal(manifest.object().toString());
        if (typed instanceof GenericKubernetesResource) {
          violations.add(
              manifest.describe()
                  + ": no schema for apiVersion '"
                  + manifest.apiVersion()
                  + "' kind '"
                  + manifest.kind()
                  + "' (misspelt, or a CRD this check does not know: add its model or schema in"
                  + " deployments/validation, see src/test/resources/schemas/README.md)");
        } else {
          walk(typed, "", violations, manifest, new IdentityHashMap<>());
          compare(
              manifest.object(), MAPPER.readTree(FABRIC8.asJson(typed)), "", violations, manifest);
        }
      }
    } catch (IOException | RuntimeException e) {
      violations.add(manifest.describe() + ": does not parse into its schema: " + rootCause(e));
    }
    return violations;
  }

  // --- typed models: walk the parsed object, every additionalProperties entry is unknown -------

  private static void walk(
      Object value,
      String path,
      List<String> violations,
      Manifest manifest,
      IdentityHashMap<Object, Boolean> seen) {
    if (value == null
        || value instanceof String
        || value instanceof Number
        || value instanceof Boolean
        || value instanceof Enum<?>
        || value instanceof JsonNode
        || seen.put(value, Boolean.TRUE) != null) {
      return;
    }
    if (value instanceof Map<?, ?> map) {
      // Free-form maps (labels, ConfigMap data, Kafka config, …) hold plain values; maps of model
      // objects (Istio's headers: {name: StringMatch}) are checked entry by entry.
      map.forEach((k, v) -> walk(v, path + "." + k, violations, manifest, seen));
      return;
    }
    if (value instanceof Collection<?> list) {
      int i = 0;
      for (Object item : list) {
        walk(item, path + "[" + i++ + "]", violations, manifest, seen);
      }
      return;
    }
    String packageName = value.getClass().getPackageName();
    if (!packageName.startsWith("io.fabric8.") && !packageName.startsWith("io.strimzi.")) {
      return;
    }
    Map<String, Object> unknown = additionalProperties(value);
    for (Map.Entry<String, Object> field : unknown.entrySet()) {
      violations.add(
          manifest.describe()
              + ": unknown field "
              + (path.isEmpty() ? "" : path)
              + "."
              + field.getKey()
              + " (not in the schema of "
              + value.getClass().getSimpleName()
              + "; misspelt, wrongly indented, or not supported by this apiVersion)");
    }
    BeanDescription bean =
        MAPPER.getSerializationConfig().introspect(MAPPER.constructType(value.getClass()));
    for (BeanPropertyDefinition property : bean.findProperties()) {
      AnnotatedMember getter = property.getAccessor();
      if (getter == null || property.getName().equals("additionalProperties")) {
        continue;
      }
      getter.fixAccess(true);
      Object child;
      try {
        child = getter.getValue(value);
      } catch (RuntimeException e) {
        continue;
      }
      walk(child, path + "." + property.getName(), violations, manifest, seen);
    }
  }

  /**
   * Compares the object as written with the typed model written back. Some models drop what they do
   * not know instead of keeping it (fabric8's Istio one-of types such as StringMatch: {@code uri:
   * {prefx: /a}} parses into an empty match), so a field of the original that the round trip lost
   * is unknown too. Empty values ({@code {}}, {@code []}, null) are omitted by the models and
   * skipped here; a string where the model wants a number or boolean is reported (Jackson would
   * coerce {@code "2"} to 2; the API server would not).
   */
  private static void compare(
      JsonNode original,
      JsonNode roundTrip,
      String path,
      List<String> violations,
      Manifest manifest) {
    if (original.isObject()) {
      if (!roundTrip.isObject()) {
        return;
      }
      for (Map.Entry<String, JsonNode> field : original.properties()) {
        JsonNode value = field.getValue();
        if (value.isNull() || (value.isContainerNode() && value.isEmpty())) {
          continue;
        }
        if ((value.isBoolean() && !value.asBoolean())
            || (value.isNumber() && value.asDouble() == 0)) {
          // false and 0 are the defaults some models leave out when writing (Strimzi's
          // deleteClaim); such a field, if unknown, is still caught through additionalProperties
          // except in the few models that drop unknown fields.
          continue;
        }
        String fieldPath = path + "." + field.getKey();
        JsonNode written = roundTrip.get(field.getKey());
        if (written == null || written.isNull()) {
          violations.add(
              manifest.describe()
                  + ": unknown field "
                  + fieldPath
                  + " (the schema has no such field here: misspelt, wrongly indented, or not"
                  + " supported by this apiVersion)");
        } else {
          compare(value, written, fieldPath, violations, manifest);
        }
      }
    } else if (original.isArray()) {
      if (roundTrip.isArray() && roundTrip.size() == original.size()) {
        for (int i = 0; i < original.size(); i++) {
          compare(original.get(i), roundTrip.get(i), path + "[" + i + "]", violations, manifest);
        }
      }
    } else if (original.isTextual() && (roundTrip.isNumber() || roundTrip.isBoolean())) {
      violations.add(
          manifest.describe()
              + ": "
              + path
              + " is the string \""
              + original.asText()
              + "\" but must be a "
              + (roundTrip.isNumber() ? "number" : "boolean")
              + " (remove the quotes)");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> additionalProperties(Object value) {
    try {
      Method getter = value.getClass().getMethod("getAdditionalProperties");
      Object map = getter.invoke(value);
      return map instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    } catch (NoSuchMethodException e) {
      return Map.of();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  // --- CRD schemas (KEDA, Argo CD) --------------------------------------------------------------

  private static void validateAgainstCrdSchema(
      Manifest manifest, String schemaFile, List<String> violations) {
    Schema schema = COMPILED.computeIfAbsent(schemaFile, StrictSchema::compile);
    for (Error error : schema.validate(manifest.object())) {
      violations.add(
          manifest.describe()
              + ": "
              + path(error.getInstanceLocation())
              + ": "
              + error.getMessage()
              + " (schema "
              + schemaFile
              + ")");
    }
    JsonNode metadata = manifest.object().path("metadata");
    if (metadata.isObject()) {
      ObjectMeta meta = MAPPER.convertValue(metadata, ObjectMeta.class);
      walk(meta, ".metadata", violations, manifest, new IdentityHashMap<>());
    }
  }

  private static String path(NodePath location) {
    StringBuilder path = new StringBuilder();
    if (location != null) {
      for (int i = 0; i < location.getNameCount(); i++) {
        Object element = location.getElement(i);
        path.append(element instanceof Integer ? "[" + element + "]" : "." + element);
      }
    }
    return path.isEmpty() ? "(root)" : path.toString();
  }

  private static Schema compile(String schemaFile) {
    try (InputStream in = StrictSchema.class.getResourceAsStream("/schemas/" + schemaFile)) {
      if (in == null) {
        throw new IllegalStateException("missing resource schemas/" + schemaFile);
      }
      ObjectNode schema = (ObjectNode) MAPPER.readTree(in);
      schema.remove("$comment");
      // metadata is checked with the typed ObjectMeta (the package refers to its own schema id)
      ((ObjectNode) schema.path("properties")).putObject("metadata").put("type", "object");
      close(schema);
      return REGISTRY.getSchema(schema);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Makes an OpenAPI v3 (CRD) schema strict JSON Schema: {@code additionalProperties: false} where
   * it lists properties and neither allows other ones nor preserves unknown fields, and {@code
   * nullable: true} as a type that admits null.
   */
  static void close(JsonNode node) {
    if (node instanceof ArrayNode array) {
      array.forEach(StrictSchema::close);
      return;
    }
    if (!(node instanceof ObjectNode schema)) {
      return;
    }
    if (schema.path("nullable").asBoolean(false) && schema.path("type").isTextual()) {
      ArrayNode types = JsonNodeFactory.instance.arrayNode();
      types.add(schema.get("type").asText()).add("null");
      schema.set("type", types);
    }
    schema.remove("nullable");
    if (schema.has("properties")
        && !schema.has("additionalProperties")
        && !schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
      schema.put("additionalProperties", false);
    }
    for (String keyword : List.of("items", "additionalProperties", "not")) {
      close(schema.get(keyword));
    }
    for (String keyword : List.of("oneOf", "anyOf", "allOf")) {
      close(schema.get(keyword));
    }
    for (String keyword : List.of("properties", "patternProperties")) {
      JsonNode map = schema.get(keyword);
      if (map != null) {
        for (Iterator<JsonNode> it = map.elements(); it.hasNext(); ) {
          close(it.next());
        }
      }
    }
  }

  private static String rootCause(Throwable e) {
    Throwable cause = e;
    Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    while (cause.getCause() != null && seen.add(cause)) {
      cause = cause.getCause();
    }
    String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    return message.lines().findFirst().orElse(message);
  }
}
