package io.linkflow.credential;

import io.linkflow.events.EventType;
import io.linkflow.events.EventTypes;
import io.linkflow.events.outbox.Outbox;
import io.linkflow.events.payload.AuditRecordedV1;
import io.linkflow.events.payload.CredentialChangedV1;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;

/**
 * Announces credential changes on credential.events and records them, and every decrypt, on
 * audit.log — through the outbox, in the transaction of the change. Keyed by credential id, with
 * the workspace as {@code ce_workspaceid}; never a field value.
 */
@ApplicationScoped
public class CredentialEvents {

  /** The actor of what the service does by itself (the token refresher). */
  public static final String SERVICE_ACTOR = "credential-service";

  public static final String SUCCESS = "success";
  public static final String FAILURE = "failure";

  private final Outbox outbox;

  public CredentialEvents(Outbox outbox) {
    this.outbox = outbox;
  }

  /**
   * {@code type} (credential.created, updated, deleted, connected, refresh_failed) about {@code
   * credential} as it now is (as it was, for a deletion) on credential.events, and the same action
   * on audit.log.
   */
  public Uni<Void> changed(
      SqlClient tx,
      EventType<CredentialChangedV1> type,
      StoredCredential credential,
      String actor,
      Map<String, String> details) {
    UUID workspaceId = credential.workspaceId();
    UUID id = credential.id();
    return outbox
        .append(
            tx,
            type,
            id.toString(),
            workspaceId.toString(),
            new CredentialChangedV1(
                id, workspaceId, credential.name(), credential.type(), credential.status(), actor))
        .call(() -> audit(tx, type.name(), workspaceId, id, actor, SUCCESS, details))
        .replaceWithVoid();
  }

  /** {@code credential.access}: a decrypt, granted or refused. */
  public Uni<Void> accessed(
      SqlClient tx,
      UUID workspaceId,
      UUID id,
      String actor,
      String outcome,
      Map<String, String> details) {
    return audit(tx, "credential.access", workspaceId, id, actor, outcome, details);
  }

  private Uni<Void> audit(
      SqlClient tx,
      String action,
      UUID workspaceId,
      UUID id,
      String actor,
      String outcome,
      Map<String, String> details) {
    return outbox
        .append(
            tx,
            EventTypes.AUDIT_RECORDED_V1,
            id.toString(),
            workspaceId.toString(),
            new AuditRecordedV1(
                action, actor, actorType(actor), "credential", id.toString(), outcome, details))
        .replaceWithVoid();
  }

  /** user for a person's token subject, service for a service client or this service itself. */
  static String actorType(String actor) {
    return actor.startsWith("service:") || SERVICE_ACTOR.equals(actor) ? "service" : "user";
  }
}
