package io.linkflow.auth.membership;

import io.linkflow.auth.apikey.ApiKeyService;
import io.linkflow.auth.session.Sessions;
import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.EventEnvelope;
import io.linkflow.events.EventType;
import io.linkflow.events.EventTypes;
import io.linkflow.events.inbox.Inbox;
import io.linkflow.events.payload.MembershipChangedV1;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps auth-service's copy of memberships from user.events, once per event: tokens carry the role
 * from here, and a member who leaves or is removed loses every session and API key in that
 * workspace in the same transaction.
 */
@ApplicationScoped
public class MembershipConsumer {

  static final String CONSUMER = "auth-service.memberships";
  private static final Logger LOG = Logger.getLogger(MembershipConsumer.class);
  private static final Map<String, EventType<MembershipChangedV1>> TYPES =
      Map.of(
          EventTypes.MEMBER_ADDED_V1.cloudEventType(), EventTypes.MEMBER_ADDED_V1,
          EventTypes.MEMBER_ROLE_CHANGED_V1.cloudEventType(), EventTypes.MEMBER_ROLE_CHANGED_V1,
          EventTypes.MEMBER_REMOVED_V1.cloudEventType(), EventTypes.MEMBER_REMOVED_V1);

  private final Pool pool;
  private final Inbox inbox;
  private final MembershipRepository memberships;
  private final Sessions sessions;
  private final ApiKeyService apiKeys;

  public MembershipConsumer(
      Pool pool,
      Inbox inbox,
      MembershipRepository memberships,
      Sessions sessions,
      ApiKeyService apiKeys) {
    this.pool = pool;
    this.inbox = inbox;
    this.memberships = memberships;
    this.sessions = sessions;
    this.apiKeys = apiKeys;
  }

  @Incoming("user-events")
  public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
    EventEnvelope event = CloudEventHeaders.fromHeaders(record.headers(), record.value());
    EventType<MembershipChangedV1> type = TYPES.get(event.type());
    if (type == null) {
      return Uni.createFrom().voidItem();
    }
    boolean removed = type == EventTypes.MEMBER_REMOVED_V1;
    MembershipChangedV1 change = EventCodec.read(type, event);
    return inbox
        .once(
            pool,
            CONSUMER,
            event,
            tx ->
                removed
                    ? memberships
                        .delete(tx, change.userId(), change.workspaceId())
                        .call(
                            () ->
                                sessions.endAllIn(
                                    tx, change.userId(), change.workspaceId(), "membership_ended"))
                        .call(
                            () ->
                                apiKeys.revokeAllBy(
                                    tx, change.userId(), change.workspaceId(), "member_removed"))
                        .replaceWith(Boolean.TRUE)
                    : memberships
                        .upsert(tx, change.userId(), change.workspaceId(), change.role())
                        .replaceWith(Boolean.TRUE))
        .invoke(
            done -> {
              if (done.isPresent()) {
                LOG.infof(
                    "Membership of %s in %s: %s (%s)",
                    change.userId(),
                    change.workspaceId(),
                    removed ? "removed" : change.role(),
                    change.reason());
              }
            })
        .replaceWithVoid();
  }
}
