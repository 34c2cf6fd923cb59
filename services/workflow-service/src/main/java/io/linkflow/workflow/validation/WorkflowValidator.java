package io.linkflow.workflow.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.common.error.Problem.FieldError;
import io.linkflow.nodes.Catalog;
import io.linkflow.nodes.CredentialRequirement;
import io.linkflow.nodes.NodeType;
import io.linkflow.nodes.Port;
import io.linkflow.nodes.SchemaValidator;
import io.linkflow.nodes.Violation;
import io.linkflow.workflow.model.Connection;
import io.linkflow.workflow.model.Definition;
import io.linkflow.workflow.model.Node;
import io.linkflow.workflow.model.Settings;
import io.linkflow.workflow.model.WorkflowInput;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Checks a workflow against the node registry without touching the database: every error is
 * reported at once, each with a JSON Pointer into the request body and, for node errors, the node
 * id. Checks that need stored state (folders, the error workflow, webhook paths of other active
 * workflows) are the service's.
 */
public final class WorkflowValidator {

  /** The node type whose {@code loop} output may lead back into the graph. */
  public static final String LOOP_TYPE = "linkflow.splitInBatches";

  /** Triggers that start executions by themselves once the workflow is active. */
  public static final Set<String> ACTIVATING_TRIGGERS =
      Set.of("linkflow.webhookTrigger", "linkflow.scheduleTrigger", "linkflow.eventTrigger");

  public static final String WEBHOOK_TYPE = "linkflow.webhookTrigger";

  static final String SCHEDULE_TYPE = "linkflow.scheduleTrigger";

  static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  static final int MAX_NAME = 200;
  static final int MAX_DESCRIPTION = 2000;
  static final int MAX_NODES = 500;
  static final int MAX_TAGS = 20;
  static final int MAX_TAG = 50;
  static final int MAX_NODE_NAME = 128;
  static final int MAX_TIMEOUT = 604_800;

  /** The outcome: the definition as it will be stored (defaults applied) and the errors. */
  public record Result(Definition definition, List<String> tags, List<FieldError> errors) {

    public boolean valid() {
      return errors.isEmpty();
    }
  }

  private final Catalog catalog;

  public WorkflowValidator(Catalog catalog) {
    this.catalog = catalog;
  }

  public Result validate(WorkflowInput input) {
    List<FieldError> errors = new ArrayList<>();
    if (input.name() == null || input.name().isBlank()) {
      errors.add(new FieldError("/name", "required"));
    } else if (input.name().length() > MAX_NAME) {
      errors.add(new FieldError("/name", "at most " + MAX_NAME + " characters"));
    }
    if (input.description() != null && input.description().length() > MAX_DESCRIPTION) {
      errors.add(new FieldError("/description", "at most " + MAX_DESCRIPTION + " characters"));
    }
    if (input.folderId() != null && uuidOrNull(input.folderId()) == null) {
      errors.add(new FieldError("/folderId", "not a folder id (a UUID)"));
    }
    List<String> tags = tags(input.tags(), errors);
    List<Node> nodes = nodes(input.nodes() == null ? List.of() : input.nodes(), errors);
    List<Connection> connections =
        connections(input.connections() == null ? List.of() : input.connections(), nodes, errors);
    cycles(nodes, connections, errors);
    webhookPaths(nodes, errors);
    Settings settings = settings(input.settings(), errors);
    return new Result(new Definition(nodes, connections, settings), tags, errors);
  }

  /** Why the definition cannot be activated (empty when it can). */
  public static List<FieldError> activationErrors(Definition definition) {
    boolean hasTrigger =
        definition.nodes().stream()
            .anyMatch(n -> !n.isDisabled() && ACTIVATING_TRIGGERS.contains(n.type()));
    if (hasTrigger) {
      return List.of();
    }
    return List.of(
        new FieldError(
            "/nodes",
            "an active workflow needs an enabled trigger that starts it by itself: Webhook,"
                + " Schedule or Event (Manual and Error triggers do not)"));
  }

  /** The webhook paths an active version claims: {@code METHOD path} → node id. */
  public static Map<String, Node> webhookClaims(Definition definition) {
    Map<String, Node> claims = new LinkedHashMap<>();
    for (Node node : definition.nodes()) {
      if (WEBHOOK_TYPE.equals(node.type()) && !node.isDisabled()) {
        claims.putIfAbsent(webhookKey(node), node);
      }
    }
    return claims;
  }

  public static String webhookKey(Node node) {
    JsonNode parameters = node.parameters();
    String method = parameters.path("method").asText("POST");
    return method.toUpperCase(Locale.ROOT) + " " + parameters.path("path").asText("");
  }

  private static List<String> tags(List<String> tags, List<FieldError> errors) {
    if (tags == null) {
      return List.of();
    }
    if (tags.size() > MAX_TAGS) {
      errors.add(new FieldError("/tags", "at most " + MAX_TAGS + " tags"));
    }
    Set<String> unique = new LinkedHashSet<>();
    for (int i = 0; i < tags.size(); i++) {
      String tag = tags.get(i) == null ? "" : tags.get(i).trim();
      if (tag.isEmpty() || tag.length() > MAX_TAG) {
        errors.add(new FieldError("/tags/" + i, "1–" + MAX_TAG + " characters"));
      } else {
        unique.add(tag);
      }
    }
    return List.copyOf(unique);
  }

  private List<Node> nodes(List<Node> input, List<FieldError> errors) {
    if (input.size() > MAX_NODES) {
      errors.add(new FieldError("/nodes", "at most " + MAX_NODES + " nodes"));
    }
    List<Node> nodes = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    Map<String, String> names = new HashMap<>();
    for (int i = 0; i < input.size(); i++) {
      Node node = input.get(i);
      String at = "/nodes/" + i;
      if (node == null) {
        errors.add(new FieldError(at, "a node is an object"));
        continue;
      }
      String id = node.id();
      if (id == null || !NODE_ID.matcher(id).matches()) {
        errors.add(new FieldError(at + "/id", "1–64 letters, digits, _ or -", id));
      } else if (!ids.add(id)) {
        errors.add(new FieldError(at + "/id", "another node has the id " + id, id));
      }
      if (node.name() == null || node.name().isBlank()) {
        errors.add(new FieldError(at + "/name", "required", id));
      } else if (node.name().length() > MAX_NODE_NAME) {
        errors.add(new FieldError(at + "/name", "at most " + MAX_NODE_NAME + " characters", id));
      } else {
        String other = names.putIfAbsent(node.name().toLowerCase(Locale.ROOT), id);
        if (other != null) {
          errors.add(
              new FieldError(
                  at + "/name",
                  "node " + other + " already has the name \"" + node.name() + "\"",
                  id));
        }
      }
      nodes.add(node(node, at, errors));
    }
    return nodes;
  }

  private Node node(Node node, String at, List<FieldError> errors) {
    String id = node.id();
    ObjectNode parameters =
        node.parameters() == null ? JsonNodeFactory.instance.objectNode() : node.parameters();
    Map<String, Node.CredentialRef> credentials =
        node.credentials() == null ? Map.of() : node.credentials();
    Integer version = node.typeVersion();
    NodeType type = null;
    if (node.type() == null || node.type().isBlank()) {
      errors.add(new FieldError(at + "/type", "required", id));
    } else {
      List<Integer> versions = catalog.versions(node.type());
      if (versions.isEmpty()) {
        errors.add(
            new FieldError(
                at + "/type",
                "unknown node type " + node.type() + " (GET /api/v1/nodes lists them)",
                id));
      } else {
        if (version == null) {
          version = versions.get(versions.size() - 1);
        }
        type = catalog.nodeType(node.type(), version).orElse(null);
        if (type == null) {
          errors.add(
              new FieldError(
                  at + "/typeVersion",
                  node.type() + " has no version " + version + " (versions: " + versions + ")",
                  id));
        }
      }
    }
    if (type != null) {
      parameters = withDefaults(type, parameters);
      parameters(type, parameters, at, id, errors);
      credentials(type, parameters, credentials, at, id, errors);
      if (SCHEDULE_TYPE.equals(node.type())) {
        scheduleTiming(parameters, at, id, errors);
      }
    }
    if (node.retry() != null) {
      Integer attempts = node.retry().maxAttempts();
      if (attempts == null || attempts < 1 || attempts > 10) {
        errors.add(new FieldError(at + "/retry/maxAttempts", "1–10", id));
      }
      Integer delay = node.retry().delaySeconds();
      if (delay != null && (delay < 0 || delay > 3600)) {
        errors.add(new FieldError(at + "/retry/delaySeconds", "0–3600", id));
      }
    }
    if (node.timeoutSeconds() != null
        && (node.timeoutSeconds() < 1 || node.timeoutSeconds() > MAX_TIMEOUT)) {
      errors.add(new FieldError(at + "/timeoutSeconds", "1–" + MAX_TIMEOUT, id));
    }
    if (node.position() != null && node.position().size() != 2) {
      errors.add(new FieldError(at + "/position", "[x, y]", id));
    }
    return new Node(
        id,
        node.name(),
        node.type(),
        version,
        parameters,
        credentials,
        node.position(),
        node.retry(),
        node.timeoutSeconds(),
        node.continueOnFail(),
        node.disabled(),
        node.notes());
  }

  /**
   * What the schema cannot say about a Schedule Trigger: that its cron expression parses and fires
   * at all, and that its timezone is an IANA zone — checked by the same code schedule-service fires
   * with (libs/nodes {@code Timing}), so a trigger saved here is one that will be scheduled. Type
   * errors are the schema's and are not repeated.
   */
  private static void scheduleTiming(
      ObjectNode parameters, String at, String id, List<FieldError> errors) {
    JsonNode cron = parameters.get("cron");
    JsonNode interval = parameters.get("intervalSeconds");
    JsonNode timezone = parameters.get("timezone");
    if ((cron != null && !cron.isTextual())
        || (interval != null && !interval.canConvertToInt())
        || (timezone != null && !timezone.isTextual())) {
      return;
    }
    if (cron != null && cron.asText().contains("{{")) {
      errors.add(
          new FieldError(
              at + "/parameters/cron",
              "a schedule is fixed when the workflow is activated: no {{ … }} expressions",
              id));
      return;
    }
    try {
      io.linkflow.nodes.timing.Timing.of(
          cron == null ? null : cron.asText(),
          interval == null ? null : interval.asInt(),
          timezone == null ? "UTC" : timezone.asText().strip(),
          java.time.Instant.now());
    } catch (io.linkflow.nodes.timing.InvalidTimingException e) {
      // cron xor intervalSeconds and the interval's range are the schema's errors already
      if (e.field().equals("cron") || e.field().equals("timezone")) {
        errors.add(new FieldError(at + "/parameters/" + e.field(), e.getMessage(), id));
      }
    }
  }

  /** A copy with the schema's defaults for the top-level parameters that are not set. */
  private static ObjectNode withDefaults(NodeType type, ObjectNode parameters) {
    ObjectNode filled = parameters.deepCopy();
    for (Map.Entry<String, JsonNode> property : type.parameters().path("properties").properties()) {
      JsonNode fallback = property.getValue().get("default");
      if (fallback != null && !filled.has(property.getKey())) {
        filled.set(property.getKey(), fallback.deepCopy());
      }
    }
    return filled;
  }

  /**
   * Parameters against the type's schema. A string holding an expression ({@code {{ … }}}) is only
   * known when the workflow runs, so type, format and enum checks of that field are left to the
   * run; a missing required field is an error all the same.
   */
  private static void parameters(
      NodeType type, ObjectNode parameters, String at, String id, List<FieldError> errors) {
    Set<String> expressions = new HashSet<>();
    collectExpressions(parameters, "", expressions);
    for (Violation violation : SchemaValidator.validate(type.parameters(), parameters)) {
      if (expressions.contains(violation.pointer())) {
        continue;
      }
      errors.add(new FieldError(at + "/parameters" + violation.pointer(), message(violation), id));
    }
  }

  private static String message(Violation violation) {
    String message = violation.message();
    // networknt prefixes messages with the instance location ("$.url: …"); the pointer says it.
    int colon = message.indexOf(": ");
    return message.startsWith("$") && colon > 0 ? message.substring(colon + 2) : message;
  }

  private static void collectExpressions(JsonNode value, String pointer, Set<String> out) {
    if (value.isTextual() && value.asText().contains("{{")) {
      out.add(pointer);
    } else if (value.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        collectExpressions(
            field.getValue(),
            pointer + "/" + field.getKey().replace("~", "~0").replace("/", "~1"),
            out);
      }
    } else if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        collectExpressions(value.get(i), pointer + "/" + i, out);
      }
    }
  }

  private static void credentials(
      NodeType type,
      ObjectNode parameters,
      Map<String, Node.CredentialRef> credentials,
      String at,
      String id,
      List<FieldError> errors) {
    Set<String> accepted = new LinkedHashSet<>();
    for (CredentialRequirement requirement : type.credentialTypes()) {
      accepted.add(requirement.name());
      if (requirement.requiredFor(parameters, type.parameters())
          && !credentials.containsKey(requirement.name())) {
        String why =
            requirement.required() || requirement.requiredWhen() == null
                ? ""
                : " because "
                    + requirement.requiredWhen().parameter()
                    + " is "
                    + parameters
                        .path(requirement.requiredWhen().parameter())
                        .asText(
                            type.parameters()
                                .path("properties")
                                .path(requirement.requiredWhen().parameter())
                                .path("default")
                                .asText());
        errors.add(
            new FieldError(
                at + "/credentials/" + requirement.name(),
                "a credential of type " + requirement.name() + " is required" + why,
                id));
      }
    }
    credentials.forEach(
        (name, ref) -> {
          if (!accepted.contains(name)) {
            errors.add(
                new FieldError(
                    at + "/credentials/" + name,
                    type.displayName()
                        + " does not take "
                        + name
                        + " credentials"
                        + (accepted.isEmpty() ? "" : " (it takes " + accepted + ")"),
                    id));
          } else if (ref == null || ref.id() == null || uuidOrNull(ref.id()) == null) {
            errors.add(
                new FieldError(
                    at + "/credentials/" + name + "/id", "the credential's id (a UUID)", id));
          }
        });
  }

  private List<Connection> connections(
      List<Connection> input, List<Node> nodes, List<FieldError> errors) {
    Map<String, Node> byId = new HashMap<>();
    nodes.forEach(n -> byId.putIfAbsent(n.id(), n));
    Map<String, Integer> seen = new HashMap<>();
    List<Connection> connections = new ArrayList<>();
    for (int i = 0; i < input.size(); i++) {
      Connection connection = input.get(i);
      String at = "/connections/" + i;
      if (connection == null || connection.from() == null || connection.to() == null) {
        errors.add(new FieldError(at, "needs from {node, port} and to {node, port}"));
        continue;
      }
      Connection normalized =
          new Connection(
              new Connection.End(connection.from().node(), connection.from().portOrMain()),
              new Connection.End(connection.to().node(), connection.to().portOrMain()));
      boolean ok = end(normalized.from(), true, normalized.to().node(), byId, at + "/from", errors);
      ok &= end(normalized.to(), false, normalized.from().node(), byId, at + "/to", errors);
      String key =
          normalized.from().node()
              + "/"
              + normalized.from().port()
              + "->"
              + normalized.to().node()
              + "/"
              + normalized.to().port();
      Integer first = seen.putIfAbsent(key, i);
      if (first != null) {
        errors.add(
            new FieldError(at, "duplicate of /connections/" + first, normalized.from().node()));
        ok = false;
      }
      if (ok) {
        connections.add(normalized);
      }
    }
    return connections;
  }

  /**
   * Checks one end of a connection; a missing node is reported on the node at the other end (the
   * one that exists), so the editor can show it there.
   */
  private boolean end(
      Connection.End end,
      boolean from,
      String otherNode,
      Map<String, Node> byId,
      String at,
      List<FieldError> errors) {
    if (end.node() == null || !byId.containsKey(end.node())) {
      errors.add(
          new FieldError(
              at + "/node",
              end.node() == null ? "required" : "no node has the id " + end.node(),
              byId.containsKey(otherNode) ? otherNode : null));
      return false;
    }
    Node node = byId.get(end.node());
    NodeType type =
        node.type() == null || node.typeVersion() == null
            ? null
            : catalog.nodeType(node.type(), node.typeVersion()).orElse(null);
    if (type == null) {
      return true; // the node's own error says why
    }
    List<Port> ports = from ? type.outputs() : type.inputs();
    if (ports.stream().noneMatch(p -> p.name().equals(end.port()))) {
      String what = from ? "output" : "input";
      errors.add(
          new FieldError(
              at + "/port",
              ports.isEmpty()
                  ? type.displayName() + " has no " + what + "s"
                  : type.displayName()
                      + " has no "
                      + what
                      + " "
                      + end.port()
                      + " (it has "
                      + ports.stream().map(Port::name).toList()
                      + ")",
              node.id()));
      return false;
    }
    return true;
  }

  /** A cycle is allowed only through a Loop node: without those, the graph must be acyclic. */
  private static void cycles(
      List<Node> nodes, List<Connection> connections, List<FieldError> errors) {
    Set<String> loops = new HashSet<>();
    for (Node node : nodes) {
      if (LOOP_TYPE.equals(node.type())) {
        loops.add(node.id());
      }
    }
    Map<String, List<Integer>> outgoing = new HashMap<>();
    for (int i = 0; i < connections.size(); i++) {
      Connection c = connections.get(i);
      if (!loops.contains(c.from().node()) && !loops.contains(c.to().node())) {
        outgoing.computeIfAbsent(c.from().node(), k -> new ArrayList<>()).add(i);
      }
    }
    Map<String, Integer> state = new HashMap<>(); // 1 = on the path, 2 = done
    for (Node node : nodes) {
      if (!state.containsKey(node.id())) {
        Integer closing = findCycle(node.id(), outgoing, connections, state);
        if (closing != null) {
          Connection c = connections.get(closing);
          errors.add(
              new FieldError(
                  "/connections",
                  "the connection "
                      + c.from().node()
                      + " → "
                      + c.to().node()
                      + " closes a cycle; only a Loop (Split in Batches) node may lead back",
                  c.to().node()));
          return;
        }
      }
    }
  }

  /** Iterative DFS; answers the index of a connection closing a cycle, or null. */
  private static Integer findCycle(
      String start,
      Map<String, List<Integer>> outgoing,
      List<Connection> connections,
      Map<String, Integer> state) {
    record Frame(String node, Iterator<Integer> edges) {}
    ArrayList<Frame> stack = new ArrayList<>();
    state.put(start, 1);
    stack.add(new Frame(start, outgoing.getOrDefault(start, List.of()).iterator()));
    while (!stack.isEmpty()) {
      Frame top = stack.get(stack.size() - 1);
      if (top.edges().hasNext()) {
        int edge = top.edges().next();
        String next = connections.get(edge).to().node();
        Integer s = state.get(next);
        if (s == null) {
          state.put(next, 1);
          stack.add(new Frame(next, outgoing.getOrDefault(next, List.of()).iterator()));
        } else if (s == 1) {
          return edge;
        }
      } else {
        state.put(top.node(), 2);
        stack.remove(stack.size() - 1);
      }
    }
    return null;
  }

  private static void webhookPaths(List<Node> nodes, List<FieldError> errors) {
    Map<String, String> claimed = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      Node node = nodes.get(i);
      if (!WEBHOOK_TYPE.equals(node.type())
          || node.isDisabled()
          || !node.parameters().path("path").isTextual()) {
        continue;
      }
      String key = webhookKey(node);
      String other = claimed.putIfAbsent(key, node.id());
      if (other != null) {
        errors.add(
            new FieldError(
                "/nodes/" + i + "/parameters/path",
                "node " + other + " of this workflow already listens on " + key,
                node.id()));
      }
    }
  }

  private static Settings settings(Settings input, List<FieldError> errors) {
    Settings settings =
        (input == null ? new Settings(null, null, null, null, null) : input).withDefaults();
    try {
      ZoneId.of(settings.timezone());
    } catch (DateTimeException e) {
      errors.add(new FieldError("/settings/timezone", "not an IANA time zone, e.g. Europe/Paris"));
    }
    if (settings.errorWorkflowId() != null && uuidOrNull(settings.errorWorkflowId()) == null) {
      errors.add(new FieldError("/settings/errorWorkflowId", "not a workflow id (a UUID)"));
    }
    int timeout = settings.executionTimeoutSeconds();
    if (timeout < 1 || timeout > MAX_TIMEOUT) {
      errors.add(new FieldError("/settings/executionTimeoutSeconds", "1–" + MAX_TIMEOUT));
    }
    if (!Set.of("all", "failed", "none").contains(settings.saveExecutionData())) {
      errors.add(new FieldError("/settings/saveExecutionData", "all, failed or none"));
    }
    Integer limit = settings.concurrencyLimit();
    if (limit != null && (limit < 1 || limit > 1000)) {
      errors.add(new FieldError("/settings/concurrencyLimit", "1–1000, or omit for no limit"));
    }
    return settings;
  }

  /** The UUID {@code text} names, or null when it is null or not a UUID. */
  public static UUID uuidOrNull(String text) {
    if (text == null) {
      return null;
    }
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
