package io.linkflow.execution.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.linkflow.engine.wire.Wire;
import io.linkflow.execution.store.ExecutionRepository.NodeRunView;
import io.linkflow.execution.store.ExecutionRow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An execution as the API shows it. Lists leave out {@code input} and {@code nodeRuns}.
 *
 * @param status created (queued), running, waiting, succeeded, failed, cancelled, timed_out
 * @param error {message, nodeId, nodeName, kind, parameter, details} of a failure
 * @param nodeRunCount node runs so far, retries included
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecutionView(
    UUID id,
    UUID workflowId,
    UUID versionId,
    String workflowName,
    String mode,
    String status,
    JsonNode error,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Long durationMs,
    int nodeRunCount,
    UUID retryOf,
    UUID parentExecutionId,
    JsonNode input,
    List<NodeRun> nodeRuns) {

  /**
   * One attempt of one node.
   *
   * @param runIndex 0 for a node's first run, 1… when a loop runs it again
   * @param attempt 1, or 2… for retries
   * @param input items by input port (absent when the workflow does not keep data)
   * @param output items by output port
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record NodeRun(
      UUID id,
      String nodeId,
      String nodeName,
      String type,
      int runIndex,
      int attempt,
      String status,
      JsonNode input,
      JsonNode output,
      JsonNode error,
      Instant startedAt,
      Instant finishedAt) {}

  static ExecutionView summary(ExecutionRow r) {
    return of(r, null, false);
  }

  static ExecutionView of(ExecutionRow r, List<NodeRunView> runs, boolean withInput) {
    return new ExecutionView(
        r.id(),
        r.workflowId(),
        r.versionId(),
        r.workflowName(),
        r.mode(),
        r.status(),
        json(r.error()),
        r.createdAt(),
        r.startedAt(),
        r.finishedAt(),
        r.finishedAt() == null ? null : Duration.between(r.createdAt(), r.finishedAt()).toMillis(),
        r.nodeRuns(),
        r.retryOf(),
        r.parentExecutionId(),
        withInput ? json(r.input()) : null,
        runs == null
            ? null
            : runs.stream()
                .map(
                    n ->
                        new NodeRun(
                            n.id(),
                            n.nodeId(),
                            n.nodeName(),
                            n.type(),
                            n.runIndex(),
                            n.attempt(),
                            n.status(),
                            json(n.input()),
                            json(n.output()),
                            json(n.error()),
                            n.startedAt(),
                            n.finishedAt()))
                .toList());
  }

  private static JsonNode json(String text) {
    return text == null ? null : Wire.read(text, JsonNode.class);
  }
}
