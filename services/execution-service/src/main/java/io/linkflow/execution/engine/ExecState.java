package io.linkflow.execution.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An execution's working state, stored with it as JSON and changed only under its row lock: what is
 * ready to run, what is in flight, what Merge nodes have collected, loop state, and each node's
 * last output for {@code $node}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public final class ExecState {

  /** {@code $now}: fixed when the execution starts. */
  public Instant now;

  /** Activations ready to run, in order. */
  public List<Activation> ready = new ArrayList<>();

  /** Merge nodes collecting: node id → input port → items so far. */
  public Map<String, Map<String, List<ObjectNode>>> merges = new LinkedHashMap<>();

  /** Split in Batches state by node id (null entries are removed). */
  public Map<String, JsonNode> loops = new LinkedHashMap<>();

  /** {@code $node}: each node's last {@code main} output, by node name. */
  public Map<String, List<JsonNode>> outputs = new LinkedHashMap<>();

  /** In flight, by node run id: dispatched commands, waits, retry delays, sub-workflows. */
  public Map<UUID, Step> active = new LinkedHashMap<>();

  /** What was ready or in flight when the execution stopped (retry starts from here). */
  public List<Activation> interrupted = new ArrayList<>();

  /** Runs started per node id: the next run's index. */
  public Map<String, Integer> runs = new HashMap<>();

  /** Node runs (attempts included) so far. */
  public int nodeRuns;

  /** The items of the last node that finished (a sub-workflow's result). */
  public List<ObjectNode> lastOutput = new ArrayList<>();

  /** Whether the webhook caller was answered already (by a Respond to Webhook node). */
  public boolean responded;

  /** One run of a node waiting to happen, with its inputs by port. */
  public record Activation(String nodeId, Map<String, List<ObjectNode>> inputs) {}

  /** Kinds of in-flight step. */
  public static final String DISPATCHED = "dispatched";

  public static final String WAIT = "wait";
  public static final String DELAY = "delay";
  public static final String CHILDREN = "children";

  /** Something in flight for one node run. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class Step {
    public String kind;
    public String nodeId;
    public int attempt;
    public int runIndex;
    public Map<String, List<ObjectNode>> inputs;

    /** Dispatched: the command in flight and when it is considered lost. */
    public UUID commandId;

    /** Dispatched: the node's deadline; wait: when to resume; delay: when to retry. */
    public Instant dueAt;

    /** Dispatched: how many times it was re-sent after its lease expired. */
    public int redispatches;

    public Instant startedAt;

    /** Sub-workflows: the child executions, in item order, and what each gave. */
    public List<UUID> children;

    public Map<UUID, List<ObjectNode>> childOutputs;

    public Step() {}

    Step(String kind, String nodeId, int attempt, int runIndex, Map<String, List<ObjectNode>> in) {
      this.kind = kind;
      this.nodeId = nodeId;
      this.attempt = attempt;
      this.runIndex = runIndex;
      this.inputs = in;
    }
  }
}
