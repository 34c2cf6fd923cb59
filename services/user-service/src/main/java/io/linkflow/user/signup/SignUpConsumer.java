package io.linkflow.user.signup;

import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.EventEnvelope;
import io.linkflow.events.EventTypes;
import io.linkflow.events.inbox.Inbox;
import io.linkflow.events.payload.EmailVerifiedV1;
import io.linkflow.events.payload.SignedUpV1;
import io.linkflow.security.Roles;
import io.linkflow.user.membership.MembershipEvents;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Turns {@code auth.signed_up} into a user, their personal workspace and the owner membership, once
 * per event (the inbox makes redelivery harmless), and announces the workspace (workspace_created,
 * personal) and the membership (member_added, reason signup) on user.events in the same
 * transaction. Other auth events are not this consumer's business; a record that is not a readable
 * CloudEvent goes to {@code dlq.events}.
 */
@ApplicationScoped
public class SignUpConsumer {

  static final String CONSUMER = "user-service.sign-ups";
  static final String PERSONAL_WORKSPACE_NAME = "Personal";
  private static final Logger LOG = Logger.getLogger(SignUpConsumer.class);

  private final Pool pool;
  private final Inbox inbox;
  private final MembershipEvents events;

  public SignUpConsumer(Pool pool, Inbox inbox, MembershipEvents events) {
    this.pool = pool;
    this.inbox = inbox;
    this.events = events;
  }

  @Incoming("auth-events")
  public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
    EventEnvelope event = CloudEventHeaders.fromHeaders(record.headers(), record.value());
    if (EventTypes.EMAIL_VERIFIED_V1.cloudEventType().equals(event.type())) {
      return emailVerified(event);
    }
    if (!EventTypes.SIGNED_UP_V1.cloudEventType().equals(event.type())) {
      return Uni.createFrom().voidItem();
    }
    SignedUpV1 signedUp = EventCodec.read(EventTypes.SIGNED_UP_V1, event);
    return inbox
        .once(pool, CONSUMER, event, tx -> create(tx, signedUp))
        .invoke(
            created -> {
              if (created.isPresent()) {
                LOG.infof(
                    "Created user %s with personal workspace %s",
                    signedUp.accountId(), signedUp.workspaceId());
              }
            })
        .replaceWithVoid();
  }

  /**
   * {@code auth.email_verified}: the profile's e-mail is verified from now on. It follows the
   * account's sign-up on the same partition (both keyed by the account), so the user exists.
   */
  private Uni<Void> emailVerified(EventEnvelope event) {
    EmailVerifiedV1 verified = EventCodec.read(EventTypes.EMAIL_VERIFIED_V1, event);
    return inbox
        .once(
            pool,
            CONSUMER,
            event,
            tx ->
                tx.preparedQuery(
                        "UPDATE app_user SET email_verified = true WHERE id = $1"
                            + " AND lower(email) = lower($2)")
                    .execute(Tuple.of(verified.accountId(), verified.email()))
                    .map(result -> result.rowCount()))
        .invoke(
            updated ->
                updated.ifPresent(
                    rows ->
                        LOG.infof(
                            "E-mail of user %s verified (%s)%s",
                            verified.accountId(),
                            verified.method(),
                            rows == 0 ? ": no such user or another address, ignored" : "")))
        .replaceWithVoid();
  }

  private Uni<Boolean> create(SqlConnection tx, SignedUpV1 signedUp) {
    return tx.preparedQuery("INSERT INTO app_user (id, email) VALUES ($1, $2)")
        .execute(Tuple.of(signedUp.accountId(), signedUp.email()))
        .flatMap(
            ignored ->
                tx.preparedQuery("INSERT INTO workspace (id, name, personal) VALUES ($1, $2, true)")
                    .execute(Tuple.of(signedUp.workspaceId(), PERSONAL_WORKSPACE_NAME)))
        .flatMap(
            ignored ->
                tx.preparedQuery(
                        "INSERT INTO membership (workspace_id, user_id, role) VALUES ($1, $2, $3)")
                    .execute(Tuple.of(signedUp.workspaceId(), signedUp.accountId(), Roles.OWNER)))
        .call(
            () ->
                events.workspaceCreated(
                    tx,
                    signedUp.workspaceId(),
                    PERSONAL_WORKSPACE_NAME,
                    signedUp.accountId(),
                    true))
        .call(
            () ->
                events.added(
                    tx,
                    signedUp.workspaceId(),
                    signedUp.accountId(),
                    Roles.OWNER,
                    MembershipEvents.SIGNUP))
        .replaceWith(true);
  }
}
