package io.linkflow.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linkflow.events.EventType;
import io.linkflow.events.EventTypes;
import io.linkflow.events.outbox.Outbox;
import io.linkflow.events.payload.AuditRecordedV1;
import io.linkflow.events.payload.ExecutionRequestedV1;
import io.linkflow.events.payload.WorkflowActivatedV1;
import io.linkflow.events.payload.WorkflowChangedV1;
import io.linkflow.events.payload.WorkflowDeactivatedV1;
import io.linkflow.nodes.Catalog;
import io.linkflow.nodes.NodeType;
import io.linkflow.workflow.model.Definition;
import io.linkflow.workflow.model.Node;
import io.linkflow.workflow.store.WorkflowRow;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * workflow.events, workflow.triggers and audit.log records, appended to the outbox in the caller's
 * transaction (keyed by workflow id; execution requests by execution id).
 */
@ApplicationScoped
public class WorkflowEvents {

  private final Outbox outbox;
  private final ObjectMapper mapper;
  private final Catalog catalog = Catalog.builtIn();

  public WorkflowEvents(Outbox outbox, ObjectMapper mapper) {
    this.outbox = outbox;
    this.mapper = mapper;
  }

  public Uni<Void> changed(
      SqlClient tx,
      EventType<WorkflowChangedV1> type,
      UUID workspaceId,
      UUID workflowId,
      UUID versionId,
      int version,
      String name,
      String actor) {
    return outbox
        .append(
            tx,
            type,
            workflowId.toString(),
            workspaceId.toString(),
            new WorkflowChangedV1(workflowId, workspaceId, versionId, version, name, actor))
        .replaceWithVoid();
  }

  /** The version now active and its enabled trigger nodes, for the trigger services. */
  public Uni<Void> activated(
      SqlClient tx, UUID workspaceId, UUID workflowId, UUID versionId, Definition definition) {
    List<WorkflowActivatedV1.Trigger> triggers =
        definition.nodes().stream()
            .filter(n -> !n.isDisabled() && isTrigger(n))
            .map(
                n ->
                    new WorkflowActivatedV1.Trigger(
                        n.id(),
                        n.type(),
                        json(n.parameters()),
                        n.credentials() == null || n.credentials().isEmpty()
                            ? null
                            : json(n.credentials())))
            .toList();
    return outbox
        .append(
            tx,
            EventTypes.WORKFLOW_ACTIVATED_V1,
            workflowId.toString(),
            workspaceId.toString(),
            new WorkflowActivatedV1(workflowId, versionId, triggers))
        .replaceWithVoid();
  }

  public Uni<Void> deactivated(SqlClient tx, UUID workspaceId, UUID workflowId, UUID versionId) {
    return outbox
        .append(
            tx,
            EventTypes.WORKFLOW_DEACTIVATED_V1,
            workflowId.toString(),
            workspaceId.toString(),
            new WorkflowDeactivatedV1(workflowId, versionId))
        .replaceWithVoid();
  }

  public Uni<Void> executionRequested(
      SqlClient tx,
      UUID workspaceId,
      UUID executionId,
      UUID workflowId,
      UUID versionId,
      String input) {
    return outbox
        .append(
            tx,
            EventTypes.EXECUTION_REQUESTED_V1,
            executionId.toString(),
            workspaceId.toString(),
            new ExecutionRequestedV1(executionId, workflowId, versionId, "manual", input))
        .replaceWithVoid();
  }

  /** An audit.log record about a workflow ({@code workflow.created}, …). */
  public Uni<Void> audit(
      SqlClient tx,
      String action,
      WorkflowRow workflow,
      String actor,
      Map<String, String> details) {
    return audit(tx, action, workflow.workspaceId(), workflow.id(), actor, details);
  }

  public Uni<Void> audit(
      SqlClient tx,
      String action,
      UUID workspaceId,
      UUID workflowId,
      String actor,
      Map<String, String> details) {
    return outbox
        .append(
            tx,
            EventTypes.AUDIT_RECORDED_V1,
            workflowId.toString(),
            workspaceId.toString(),
            new AuditRecordedV1(
                action, actor, "user", "workflow", workflowId.toString(), "success", details))
        .replaceWithVoid();
  }

  private boolean isTrigger(Node node) {
    return node.typeVersion() != null
        && catalog
            .nodeType(node.type(), node.typeVersion())
            .map(t -> NodeType.TRIGGER.equals(t.kind()))
            .orElse(false);
  }

  private String json(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
