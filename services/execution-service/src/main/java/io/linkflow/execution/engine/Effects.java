package io.linkflow.execution.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.engine.wire.NodeTask;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What one orchestrator step decided; the service persists and publishes it in one transaction. */
public final class Effects {

  /**
   * A node run to insert (new) or update (finished).
   *
   * @param status running, waiting, succeeded, failed, cancelled
   */
  public record NodeRunRecord(
      UUID id,
      String nodeId,
      String nodeName,
      String type,
      int runIndex,
      int attempt,
      String status,
      Map<String, List<ObjectNode>> input,
      Map<String, List<ObjectNode>> output,
      ObjectNode error,
      Instant startedAt,
      Instant finishedAt) {}

  /** A command for an executor. */
  public record Dispatch(
      UUID commandId, UUID nodeRunId, int attempt, Instant deadline, NodeTask task) {}

  /** Tell the executor running this node run to stop. */
  public record Abort(UUID commandId, UUID nodeRunId, int attempt) {}

  /** Start a sub-workflow execution for a node run. */
  public record ChildRequest(
      UUID childExecutionId, UUID parentNodeRunId, String workflowId, List<ObjectNode> items) {}

  public final List<NodeRunRecord> inserts = new ArrayList<>();
  public final List<NodeRunRecord> updates = new ArrayList<>();
  public final List<Dispatch> dispatches = new ArrayList<>();
  public final List<Abort> aborts = new ArrayList<>();
  public final List<ChildRequest> children = new ArrayList<>();

  /** Child executions to cancel (the parent stopped). */
  public final List<UUID> cancelChildren = new ArrayList<>();

  /** The execution's status after the step. */
  public String status;

  /** The failure, when {@link #status} is failed or timed_out. */
  public ObjectNode error;

  /** The earliest time the sweeper must look at the execution again, or null. */
  public Instant wakeAt;

  /**
   * The webhook response a Respond to Webhook node built in this step ({@code {status, headers,
   * body}}), or null. At most one per execution.
   */
  public com.fasterxml.jackson.databind.JsonNode response;

  /** Whether anything changed (a duplicate or stale message changes nothing). */
  public boolean changed;
}
