package io.linkflow.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.EventEnvelope;
import io.linkflow.events.EventTypes;
import io.linkflow.events.inbox.Inbox;
import io.linkflow.events.payload.WorkflowActivatedV1;
import io.linkflow.events.payload.WorkflowDeactivatedV1;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Registers webhooks from workflow.events, once per event: {@code workflow.activated} replaces the
 * workflow's webhooks with the enabled Webhook triggers of the version now active, {@code
 * workflow.deactivated} removes them.
 */
@ApplicationScoped
public class RegistrationConsumer {

  static final String CONSUMER = "webhook-service.registrations";
  static final String WEBHOOK_TYPE = "linkflow.webhookTrigger";
  private static final Logger LOG = Logger.getLogger(RegistrationConsumer.class);

  private final Pool pool;
  private final Inbox inbox;
  private final WebhookRepository webhooks;
  private final Registrations registrations;
  private final ObjectMapper mapper;

  public RegistrationConsumer(
      Pool pool,
      Inbox inbox,
      WebhookRepository webhooks,
      Registrations registrations,
      ObjectMapper mapper) {
    this.pool = pool;
    this.inbox = inbox;
    this.webhooks = webhooks;
    this.registrations = registrations;
    this.mapper = mapper;
  }

  @Incoming("workflow-events")
  public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
    EventEnvelope event = CloudEventHeaders.fromHeaders(record.headers(), record.value());
    if (EventTypes.WORKFLOW_ACTIVATED_V1.cloudEventType().equals(event.type())) {
      WorkflowActivatedV1 activated = EventCodec.read(EventTypes.WORKFLOW_ACTIVATED_V1, event);
      List<Webhook> hooks = webhooksOf(UUID.fromString(event.workspaceId()), activated);
      return inbox
          .once(
              pool,
              CONSUMER,
              event,
              tx -> webhooks.replace(tx, activated.workflowId(), hooks).replaceWith(Boolean.TRUE))
          .invoke(
              done -> {
                if (done.isPresent()) {
                  registrations.forget(UUID.fromString(event.workspaceId()));
                  LOG.infof(
                      "Workflow %s version %s active: %d webhook(s) %s",
                      activated.workflowId(),
                      activated.versionId(),
                      hooks.size(),
                      hooks.stream().map(h -> h.method() + " " + h.path()).toList());
                }
              })
          .replaceWithVoid();
    }
    if (EventTypes.WORKFLOW_DEACTIVATED_V1.cloudEventType().equals(event.type())) {
      WorkflowDeactivatedV1 deactivated =
          EventCodec.read(EventTypes.WORKFLOW_DEACTIVATED_V1, event);
      return inbox
          .once(
              pool,
              CONSUMER,
              event,
              tx -> webhooks.remove(tx, deactivated.workflowId()).replaceWith(Boolean.TRUE))
          .invoke(
              done -> {
                if (done.isPresent()) {
                  registrations.forget(UUID.fromString(event.workspaceId()));
                  LOG.infof("Workflow %s inactive: its webhooks removed", deactivated.workflowId());
                }
              })
          .replaceWithVoid();
    }
    return Uni.createFrom().voidItem();
  }

  /** The enabled Webhook trigger nodes of an activated version, as registrations. */
  List<Webhook> webhooksOf(UUID workspaceId, WorkflowActivatedV1 activated) {
    List<Webhook> hooks = new ArrayList<>();
    Instant now = Instant.now();
    for (WorkflowActivatedV1.Trigger trigger : activated.triggers()) {
      if (!WEBHOOK_TYPE.equals(trigger.type())) {
        continue;
      }
      JsonNode p = json(trigger.parameters(), "parameters");
      String auth = p.path("auth").asText("none");
      hooks.add(
          new Webhook(
              workspaceId,
              p.path("method").asText("POST").toUpperCase(Locale.ROOT),
              normalize(p.path("path").asText("")),
              activated.workflowId(),
              activated.versionId(),
              trigger.nodeId(),
              p.path("responseMode").asText("immediately"),
              p.path("responseCode").asInt(202),
              auth,
              p.path("signature").asText("none"),
              p.path("rateLimitPerMinute").isIntegralNumber()
                  ? p.path("rateLimitPerMinute").asInt()
                  : null,
              callerCredential(auth, json(trigger.credentials(), "credentials")),
              now));
    }
    return hooks;
  }

  /**
   * The credential a trigger checks callers against: the httpBasicAuth reference for {@code auth:
   * basic}, the httpHeaderAuth one for {@code header}; null otherwise or when the reference is
   * missing (the ingress then refuses every call: fail closed).
   */
  static UUID callerCredential(String auth, JsonNode credentials) {
    String type = CallerAuth.credentialType(auth);
    if (type == null) {
      return null;
    }
    String id = credentials.path(type).path("id").asText("");
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private JsonNode json(String text, String what) {
    try {
      return mapper.readTree(text == null ? "{}" : text);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("webhook " + what + " are not JSON", e);
    }
  }

  /** A path as it is matched: without leading or trailing slashes. */
  static String normalize(String path) {
    String p = path.trim();
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
