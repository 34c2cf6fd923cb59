package io.linkflow.auth.audit;

import io.linkflow.events.EventTypes;
import io.linkflow.events.outbox.Outbox;
import io.linkflow.events.payload.AuditRecordedV1;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;

/** Writes audit.log records through the outbox, in the caller's transaction. */
@ApplicationScoped
public class AuditTrail {

  private final Outbox outbox;

  public AuditTrail(Outbox outbox) {
    this.outbox = outbox;
  }

  /**
   * One audit record about an account.
   *
   * @param action e.g. {@code user.login}, {@code session.revoked}, {@code api_key.created}
   * @param accountId who (null when unknown, e.g. a failed log-in for an unknown e-mail)
   * @param workspaceId in which workspace, if any
   * @param outcome {@code success} or {@code failure}
   * @param details extra facts; never secrets
   */
  public Uni<Void> record(
      SqlClient tx,
      String action,
      UUID accountId,
      UUID workspaceId,
      String outcome,
      Map<String, String> details) {
    String actor = accountId == null ? "unknown" : accountId.toString();
    return outbox
        .append(
            tx,
            EventTypes.AUDIT_RECORDED_V1,
            actor,
            workspaceId == null ? null : workspaceId.toString(),
            new AuditRecordedV1(action, actor, "user", "account", actor, outcome, details))
        .replaceWithVoid();
  }
}
