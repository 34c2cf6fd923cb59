package io.linkflow.expressions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an expression sees. Immutable; build one per execution with {@link #builder()} and derive
 * one per item with {@link #withJson(JsonNode)}, which shares everything but {@code $json} —
 * including the converted node outputs, so they are converted for JSONata at most once.
 *
 * <ul>
 *   <li>{@code $json} (also the context {@code $}): the current item, a JSON object
 *   <li>{@code $node["Name"].json}: the first item of node Name's output; {@code
 *       $node["Name"].items}: all its items (an array of JSON objects)
 *   <li>{@code $vars.KEY}: the workflow's variables (strings)
 *   <li>{@code $execution.id}, {@code $execution.mode}
 *   <li>{@code $workflow.id}, {@code $workflow.name}, {@code $workflow.versionId}
 *   <li>{@code $now}: the scope's instant as ISO-8601 UTC with milliseconds (a string, fixed per
 *       scope); {@code $millis()} returns the same instant in epoch milliseconds
 * </ul>
 *
 * <p>Values are converted to JSONata's form lazily, once per scope (and once per node output for
 * all scopes derived with {@link #withJson}). Scopes are safe to share between threads.
 */
public final class Scope {

  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final JsonNode json;
  private final Shared shared;
  private volatile Object jsonValue;

  private Scope(JsonNode json, Shared shared) {
    this.json = json == null ? JsonNodeFactory.instance.objectNode() : json;
    this.shared = shared;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The same scope with another current item. */
  public Scope withJson(JsonNode json) {
    return new Scope(json, shared);
  }

  public JsonNode json() {
    return json;
  }

  public Map<String, List<JsonNode>> nodes() {
    return shared.nodes;
  }

  public Map<String, String> vars() {
    return shared.vars;
  }

  public String executionId() {
    return shared.executionId;
  }

  public String executionMode() {
    return shared.executionMode;
  }

  public String workflowId() {
    return shared.workflowId;
  }

  public String workflowName() {
    return shared.workflowName;
  }

  public String workflowVersionId() {
    return shared.workflowVersionId;
  }

  public Instant now() {
    return shared.now;
  }

  // --- for Expressions: JSONata values, converted once ---

  Object jsonValue() {
    Object v = jsonValue;
    if (v == null) {
      v = Values.toJsonata(json);
      jsonValue = v;
    }
    return v;
  }

  Shared shared() {
    return shared;
  }

  /** The execution-wide part, shared by all scopes derived with {@link #withJson}. */
  static final class Shared {
    final Map<String, List<JsonNode>> nodes;
    final Map<String, String> vars;
    final String executionId;
    final String executionMode;
    final String workflowId;
    final String workflowName;
    final String workflowVersionId;
    final Instant now;

    final Map<String, Object> nodeValue;
    final Map<String, Object> varsValue;
    final Map<String, Object> executionValue;
    final Map<String, Object> workflowValue;
    final String nowValue;
    final long nowMillis;

    private Shared(Builder b) {
      this.nodes = Collections.unmodifiableMap(new LinkedHashMap<>(b.nodes));
      this.vars = Collections.unmodifiableMap(new LinkedHashMap<>(b.vars));
      this.executionId = b.executionId;
      this.executionMode = b.executionMode;
      this.workflowId = b.workflowId;
      this.workflowName = b.workflowName;
      this.workflowVersionId = b.workflowVersionId;
      this.now = (b.now == null ? Instant.now() : b.now).truncatedTo(ChronoUnit.MILLIS);

      this.nodeValue = new LazyNodes(nodes);
      this.varsValue = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
      this.executionValue = object("id", executionId, "mode", executionMode);
      this.workflowValue =
          object("id", workflowId, "name", workflowName, "versionId", workflowVersionId);
      this.nowValue = ISO_MILLIS.format(now);
      this.nowMillis = now.toEpochMilli();
    }

    private static Map<String, Object> object(String... keyValues) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (int i = 0; i < keyValues.length; i += 2) {
        if (keyValues[i + 1] != null) {
          map.put(keyValues[i], keyValues[i + 1]);
        }
      }
      return Collections.unmodifiableMap(map);
    }
  }

  /**
   * {@code $node}: node name → {@code {"json": first item, "items": [all items]}}, each node's
   * output converted on first use. A node without items has {@code items: []} and no {@code json}.
   */
  private static final class LazyNodes extends AbstractMap<String, Object> {
    private final Map<String, List<JsonNode>> source;
    private final Map<String, Object> converted = new ConcurrentHashMap<>();

    LazyNodes(Map<String, List<JsonNode>> source) {
      this.source = source;
    }

    @Override
    public Object get(Object key) {
      List<JsonNode> items = source.get(key);
      if (items == null) {
        return null;
      }
      return converted.computeIfAbsent((String) key, k -> convert(items));
    }

    @Override
    public boolean containsKey(Object key) {
      return source.containsKey(key);
    }

    @Override
    public int size() {
      return source.size();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Entry<String, Object>> iterator() {
          Iterator<String> keys = source.keySet().iterator();
          return new Iterator<>() {
            @Override
            public boolean hasNext() {
              return keys.hasNext();
            }

            @Override
            public Entry<String, Object> next() {
              String key = keys.next();
              return new SimpleImmutableEntry<>(key, get(key));
            }
          };
        }

        @Override
        public int size() {
          return source.size();
        }
      };
    }

    private static Object convert(List<JsonNode> items) {
      Object[] values = new Object[items.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = Values.toJsonata(items.get(i));
      }
      List<Object> list = Collections.unmodifiableList(Arrays.asList(values));
      Map<String, Object> node = new LinkedHashMap<>();
      if (!list.isEmpty()) {
        node.put("json", list.get(0));
      }
      node.put("items", list);
      return Collections.unmodifiableMap(node);
    }
  }

  public static final class Builder {
    private JsonNode json;
    private final Map<String, List<JsonNode>> nodes = new LinkedHashMap<>();
    private final Map<String, String> vars = new LinkedHashMap<>();
    private String executionId;
    private String executionMode;
    private String workflowId;
    private String workflowName;
    private String workflowVersionId;
    private Instant now;

    private Builder() {}

    /** The current item ({@code $json}); an empty object if not set. */
    public Builder json(JsonNode json) {
      this.json = json;
      return this;
    }

    /** One node's output items, in order ({@code $node["Name"]}). */
    public Builder node(String name, List<JsonNode> items) {
      nodes.put(Objects.requireNonNull(name, "name"), List.copyOf(items));
      return this;
    }

    public Builder nodes(Map<String, List<JsonNode>> nodes) {
      nodes.forEach(this::node);
      return this;
    }

    public Builder var(String key, String value) {
      vars.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public Builder vars(Map<String, String> vars) {
      vars.forEach(this::var);
      return this;
    }

    /** {@code $execution}: id and mode (manual, trigger, webhook, …); nulls are left out. */
    public Builder execution(String id, String mode) {
      this.executionId = id;
      this.executionMode = mode;
      return this;
    }

    /** {@code $workflow}: id, name and version id; nulls are left out. */
    public Builder workflow(String id, String name, String versionId) {
      this.workflowId = id;
      this.workflowName = name;
      this.workflowVersionId = versionId;
      return this;
    }

    /** {@code $now}; the build time if not set. Truncated to milliseconds. */
    public Builder now(Instant now) {
      this.now = now;
      return this;
    }

    public Scope build() {
      return new Scope(json, new Shared(this));
    }
  }
}
