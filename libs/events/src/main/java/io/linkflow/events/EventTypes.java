package io.linkflow.events;

import io.linkflow.events.payload.ApiKeyEventV1;
import io.linkflow.events.payload.AuditRecordedV1;
import io.linkflow.events.payload.CredentialChangedV1;
import io.linkflow.events.payload.DeadLetteredV1;
import io.linkflow.events.payload.EmailVerifiedV1;
import io.linkflow.events.payload.ExecutionCommandV1;
import io.linkflow.events.payload.ExecutionCompletedV1;
import io.linkflow.events.payload.ExecutionRequestedV1;
import io.linkflow.events.payload.ExecutionStatusChangedV1;
import io.linkflow.events.payload.MembershipChangedV1;
import io.linkflow.events.payload.NodeResultV1;
import io.linkflow.events.payload.NodeTypeChangedV1;
import io.linkflow.events.payload.SessionEventV1;
import io.linkflow.events.payload.SignedUpV1;
import io.linkflow.events.payload.VariableChangedV1;
import io.linkflow.events.payload.WebhookResponseV1;
import io.linkflow.events.payload.WorkflowActivatedV1;
import io.linkflow.events.payload.WorkflowChangedV1;
import io.linkflow.events.payload.WorkflowDeactivatedV1;
import io.linkflow.events.payload.WorkspaceCreatedV1;
import java.util.List;
import java.util.Optional;

/** Every published event type. Each has a golden JSON file its payload must round-trip. */
public final class EventTypes {

  public static final EventType<WorkflowActivatedV1> WORKFLOW_ACTIVATED_V1 =
      new EventType<>("workflow.activated", 1, Topic.WORKFLOW_EVENTS, WorkflowActivatedV1.class);
  public static final EventType<WorkflowDeactivatedV1> WORKFLOW_DEACTIVATED_V1 =
      new EventType<>(
          "workflow.deactivated", 1, Topic.WORKFLOW_EVENTS, WorkflowDeactivatedV1.class);
  public static final EventType<ExecutionRequestedV1> EXECUTION_REQUESTED_V1 =
      new EventType<>(
          "execution.requested", 1, Topic.WORKFLOW_TRIGGERS, ExecutionRequestedV1.class);
  public static final EventType<ExecutionStatusChangedV1> EXECUTION_STATUS_CHANGED_V1 =
      new EventType<>(
          "execution.status_changed", 1, Topic.EXECUTION_EVENTS, ExecutionStatusChangedV1.class);
  public static final EventType<ExecutionCommandV1> RUN_NODE_V1 =
      new EventType<>("execution.run_node", 1, Topic.EXECUTION_COMMANDS, ExecutionCommandV1.class);
  public static final EventType<ExecutionCommandV1> ABORT_NODE_V1 =
      new EventType<>(
          "execution.abort_node", 1, Topic.EXECUTION_COMMANDS, ExecutionCommandV1.class);
  public static final EventType<NodeResultV1> NODE_RESULT_V1 =
      new EventType<>("execution.node_result", 1, Topic.EXECUTION_RESULTS, NodeResultV1.class);
  public static final EventType<ExecutionCompletedV1> EXECUTION_COMPLETED_V1 =
      new EventType<>("execution.completed", 1, Topic.ANALYTICS_EVENTS, ExecutionCompletedV1.class);
  public static final EventType<WebhookResponseV1> WEBHOOK_RESPONSE_V1 =
      new EventType<>(
          "execution.webhook_response", 1, Topic.EXECUTION_EVENTS, WebhookResponseV1.class);
  public static final EventType<AuditRecordedV1> AUDIT_RECORDED_V1 =
      new EventType<>("audit.recorded", 1, Topic.AUDIT_LOG, AuditRecordedV1.class);
  public static final EventType<DeadLetteredV1> DEAD_LETTERED_V1 =
      new EventType<>("dlq.dead_lettered", 1, Topic.DLQ_EVENTS, DeadLetteredV1.class);

  public static final EventType<SignedUpV1> SIGNED_UP_V1 =
      new EventType<>("auth.signed_up", 1, Topic.AUTH_EVENTS, SignedUpV1.class);
  public static final EventType<SessionEventV1> LOGGED_IN_V1 =
      new EventType<>("auth.logged_in", 1, Topic.AUTH_EVENTS, SessionEventV1.class);
  public static final EventType<SessionEventV1> LOGGED_OUT_V1 =
      new EventType<>("auth.logged_out", 1, Topic.AUTH_EVENTS, SessionEventV1.class);
  public static final EventType<SessionEventV1> TOKEN_REVOKED_V1 =
      new EventType<>("auth.token_revoked", 1, Topic.AUTH_EVENTS, SessionEventV1.class);
  public static final EventType<EmailVerifiedV1> EMAIL_VERIFIED_V1 =
      new EventType<>("auth.email_verified", 1, Topic.AUTH_EVENTS, EmailVerifiedV1.class);
  public static final EventType<ApiKeyEventV1> API_KEY_CREATED_V1 =
      new EventType<>("auth.api_key_created", 1, Topic.AUTH_EVENTS, ApiKeyEventV1.class);
  public static final EventType<ApiKeyEventV1> API_KEY_REVOKED_V1 =
      new EventType<>("auth.api_key_revoked", 1, Topic.AUTH_EVENTS, ApiKeyEventV1.class);

  public static final EventType<WorkspaceCreatedV1> WORKSPACE_CREATED_V1 =
      new EventType<>("user.workspace_created", 1, Topic.USER_EVENTS, WorkspaceCreatedV1.class);
  public static final EventType<MembershipChangedV1> MEMBER_ADDED_V1 =
      new EventType<>("user.member_added", 1, Topic.USER_EVENTS, MembershipChangedV1.class);
  public static final EventType<MembershipChangedV1> MEMBER_ROLE_CHANGED_V1 =
      new EventType<>("user.member_role_changed", 1, Topic.USER_EVENTS, MembershipChangedV1.class);
  public static final EventType<MembershipChangedV1> MEMBER_REMOVED_V1 =
      new EventType<>("user.member_removed", 1, Topic.USER_EVENTS, MembershipChangedV1.class);

  public static final EventType<NodeTypeChangedV1> NODE_TYPE_CHANGED_V1 =
      new EventType<>("node.type_changed", 1, Topic.NODE_EVENTS, NodeTypeChangedV1.class);

  public static final EventType<VariableChangedV1> VARIABLE_CREATED_V1 =
      new EventType<>("variable.created", 1, Topic.VARIABLE_EVENTS, VariableChangedV1.class);
  public static final EventType<VariableChangedV1> VARIABLE_UPDATED_V1 =
      new EventType<>("variable.updated", 1, Topic.VARIABLE_EVENTS, VariableChangedV1.class);
  public static final EventType<VariableChangedV1> VARIABLE_DELETED_V1 =
      new EventType<>("variable.deleted", 1, Topic.VARIABLE_EVENTS, VariableChangedV1.class);

  public static final EventType<WorkflowChangedV1> WORKFLOW_CREATED_V1 =
      new EventType<>("workflow.created", 1, Topic.WORKFLOW_EVENTS, WorkflowChangedV1.class);
  public static final EventType<WorkflowChangedV1> WORKFLOW_UPDATED_V1 =
      new EventType<>("workflow.updated", 1, Topic.WORKFLOW_EVENTS, WorkflowChangedV1.class);
  public static final EventType<WorkflowChangedV1> WORKFLOW_DELETED_V1 =
      new EventType<>("workflow.deleted", 1, Topic.WORKFLOW_EVENTS, WorkflowChangedV1.class);

  public static final EventType<CredentialChangedV1> CREDENTIAL_CREATED_V1 =
      new EventType<>("credential.created", 1, Topic.CREDENTIAL_EVENTS, CredentialChangedV1.class);
  public static final EventType<CredentialChangedV1> CREDENTIAL_UPDATED_V1 =
      new EventType<>("credential.updated", 1, Topic.CREDENTIAL_EVENTS, CredentialChangedV1.class);
  public static final EventType<CredentialChangedV1> CREDENTIAL_DELETED_V1 =
      new EventType<>("credential.deleted", 1, Topic.CREDENTIAL_EVENTS, CredentialChangedV1.class);
  public static final EventType<CredentialChangedV1> CREDENTIAL_CONNECTED_V1 =
      new EventType<>(
          "credential.connected", 1, Topic.CREDENTIAL_EVENTS, CredentialChangedV1.class);
  public static final EventType<CredentialChangedV1> CREDENTIAL_REFRESH_FAILED_V1 =
      new EventType<>(
          "credential.refresh_failed", 1, Topic.CREDENTIAL_EVENTS, CredentialChangedV1.class);

  public static final List<EventType<?>> ALL =
      List.of(
          WORKFLOW_ACTIVATED_V1,
          WORKFLOW_DEACTIVATED_V1,
          EXECUTION_REQUESTED_V1,
          EXECUTION_STATUS_CHANGED_V1,
          RUN_NODE_V1,
          ABORT_NODE_V1,
          NODE_RESULT_V1,
          EXECUTION_COMPLETED_V1,
          WEBHOOK_RESPONSE_V1,
          AUDIT_RECORDED_V1,
          DEAD_LETTERED_V1,
          SIGNED_UP_V1,
          LOGGED_IN_V1,
          LOGGED_OUT_V1,
          TOKEN_REVOKED_V1,
          EMAIL_VERIFIED_V1,
          API_KEY_CREATED_V1,
          API_KEY_REVOKED_V1,
          WORKSPACE_CREATED_V1,
          MEMBER_ADDED_V1,
          MEMBER_ROLE_CHANGED_V1,
          MEMBER_REMOVED_V1,
          NODE_TYPE_CHANGED_V1,
          VARIABLE_CREATED_V1,
          VARIABLE_UPDATED_V1,
          VARIABLE_DELETED_V1,
          WORKFLOW_CREATED_V1,
          WORKFLOW_UPDATED_V1,
          WORKFLOW_DELETED_V1,
          CREDENTIAL_CREATED_V1,
          CREDENTIAL_UPDATED_V1,
          CREDENTIAL_DELETED_V1,
          CREDENTIAL_CONNECTED_V1,
          CREDENTIAL_REFRESH_FAILED_V1);

  private EventTypes() {}

  /** The registered type with this CloudEvents {@code type} attribute. */
  public static Optional<EventType<?>> byCloudEventType(String cloudEventType) {
    return ALL.stream().filter(t -> t.cloudEventType().equals(cloudEventType)).findFirst();
  }
}
