package io.linkflow.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.common.Ids;
import io.linkflow.common.error.ProblemException;
import io.linkflow.events.EventCodec;
import io.linkflow.events.EventEnvelope;
import io.linkflow.events.EventTypes;
import io.linkflow.events.payload.ExecutionRequestedV1;
import io.linkflow.events.payload.WebhookResponseV1;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Webhook URLs: production {@code METHOD /webhook/{workspaceId}/{path}} (active workflows) and test
 * {@code METHOD /webhook-test/{workspaceId}/{path}} (a workflow's latest saved version, for one
 * call within the test window; executions with mode {@code test}). A request becomes one item
 * ({@code method, path, headers, query, body}) of an {@code execution.requested} on webhook.events,
 * answered once Kafka has it. Public: the workflow decides who may call (the trigger's {@code
 * auth}, {@code signature}).
 */
@Path("/{kind: webhook(?:-test)?}")
@PermitAll
@Tag(name = "webhooks", description = "Incoming webhook calls")
public class WebhookIngress {

  private static final Logger LOG = Logger.getLogger(WebhookIngress.class);

  /** Request headers never copied into execution data: credentials stay out of it. */
  static final Set<String> WITHHELD_HEADERS =
      Set.of("authorization", "proxy-authorization", "cookie", "x-api-key", "x-linkflow-signature");

  private final Registrations registrations;
  private final RequestPublisher publisher;
  private final ReactiveRedisDataSource redis;
  private final ObjectMapper mapper;
  private final Duration idempotencyTtl;
  private final MeterRegistry meters;
  private final String source;
  private final Responses responses;
  private final Duration responseTimeout;
  private final SigningSecrets signingSecrets;
  private final Duration replayWindow;
  private final TestListeners testListeners;
  private final CallerAuth callerAuth;

  /** The signature header of signed webhooks. */
  static final String SIGNATURE_HEADER = "X-LinkFlow-Signature";

  public WebhookIngress(
      Registrations registrations,
      RequestPublisher publisher,
      ReactiveRedisDataSource redis,
      ObjectMapper mapper,
      MeterRegistry meters,
      Responses responses,
      SigningSecrets signingSecrets,
      TestListeners testListeners,
      CallerAuth callerAuth,
      @ConfigProperty(name = "linkflow.webhook.replay-window", defaultValue = "5m")
          Duration replayWindow,
      @ConfigProperty(name = "linkflow.webhook.idempotency-ttl", defaultValue = "24h")
          Duration idempotencyTtl,
      @ConfigProperty(name = "linkflow.webhook.response-timeout", defaultValue = "30s")
          Duration responseTimeout) {
    this.testListeners = testListeners;
    this.callerAuth = callerAuth;
    this.responses = responses;
    this.responseTimeout = responseTimeout;
    this.signingSecrets = signingSecrets;
    this.replayWindow = replayWindow;
    this.registrations = registrations;
    this.publisher = publisher;
    this.redis = redis;
    this.mapper = mapper;
    this.meters = meters;
    this.idempotencyTtl = idempotencyTtl;
    this.source = "/services/webhook";
  }

  @GET
  @Path("{workspaceId}/{path: .+}")
  @Operation(summary = "Call a webhook with GET")
  public Uni<Response> get(
      @PathParam("kind") String kind,
      @PathParam("workspaceId") String ws,
      @PathParam("path") String path,
      @Context HttpHeaders headers,
      @Context UriInfo uri) {
    return handle("GET", kind, ws, path, headers, uri, new byte[0]);
  }

  @HEAD
  @Path("{workspaceId}/{path: .+}")
  @Operation(summary = "Call a webhook with HEAD")
  public Uni<Response> head(
      @PathParam("kind") String kind,
      @PathParam("workspaceId") String ws,
      @PathParam("path") String path,
      @Context HttpHeaders headers,
      @Context UriInfo uri) {
    return handle("HEAD", kind, ws, path, headers, uri, new byte[0]);
  }

  @DELETE
  @Path("{workspaceId}/{path: .+}")
  @Operation(summary = "Call a webhook with DELETE")
  public Uni<Response> delete(
      @PathParam("kind") String kind,
      @PathParam("workspaceId") String ws,
      @PathParam("path") String path,
      @Context HttpHeaders headers,
      @Context UriInfo uri) {
    return handle("DELETE", kind, ws, path, headers, uri, new byte[0]);
  }

  @POST
  @Path("{workspaceId}/{path: .+}")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Call a webhook with POST")
  @APIResponse(responseCode = "202", description = "Accepted: {executionId}")
  @APIResponse(responseCode = "400", description = "A JSON or form body that cannot be read")
  @APIResponse(responseCode = "404", description = "No webhook on this path")
  @APIResponse(responseCode = "405", description = "The path listens on other methods (Allow)")
  @APIResponse(responseCode = "413", description = "The body is larger than the limit")
  @APIResponse(responseCode = "503", description = "The request could not be stored; try again")
  public Uni<Response> post(
      @PathParam("kind") String kind,
      @PathParam("workspaceId") String ws,
      @PathParam("path") String path,
      @Context HttpHeaders headers,
      @Context UriInfo uri,
      byte[] body) {
    return handle("POST", kind, ws, path, headers, uri, body);
  }

  @PUT
  @Path("{workspaceId}/{path: .+}")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Call a webhook with PUT")
  public Uni<Response> put(
      @PathParam("kind") String kind,
      @PathParam("workspaceId") String ws,
      @PathParam("path") String path,
      @Context HttpHeaders headers,
      @Context UriInfo uri,
      byte[] body) {
    return handle("PUT", kind, ws, path, headers, uri, body);
  }

  @PATCH
  @Path("{workspaceId}/{path: .+}")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Call a webhook with PATCH")
  public Uni<Response> patch(
      @PathParam("kind") String kind,
      @PathParam("workspaceId") String ws,
      @PathParam("path") String path,
      @Context HttpHeaders headers,
      @Context UriInfo uri,
      byte[] body) {
    return handle("PATCH", kind, ws, path, headers, uri, body);
  }

  private Uni<Response> handle(
      String method,
      String kind,
      String workspaceText,
      String rawPath,
      HttpHeaders headers,
      UriInfo uri,
      byte[] body) {
    UUID workspace = workspaceOf(workspaceText);
    String path = RegistrationConsumer.normalize(rawPath);
    boolean test = "webhook-test".equals(kind);
    return (test ? testListeners.find(workspace, path) : registrations.find(workspace, path))
        .flatMap(
            hooks -> {
              Webhook hook = select(hooks, method, path, test);
              UUID executionId = Ids.newId();
              String key = headers.getHeaderString("Idempotency-Key");
              ObjectNode[] item = new ObjectNode[1];
              return callerAuth
                  .check(hook, headers)
                  .invoke(
                      credentialHeader ->
                          item[0] = item(method, path, headers, uri, body, credentialHeader))
                  .chain(() -> verifySignature(hook, headers, body))
                  .chain(() -> withinRateLimit(hook))
                  .chain(() -> test ? takeTestListener(hook) : Uni.createFrom().voidItem())
                  .chain(() -> claim(hook, key, executionId))
                  .flatMap(
                      existing -> {
                        if (existing != null) {
                          count("replayed");
                          return Uni.createFrom().item(accepted(hook, existing, true));
                        }
                        boolean waits = waits(hook);
                        java.util.concurrent.CompletableFuture<WebhookResponseV1> answer =
                            waits ? responses.register(executionId) : null;
                        return publish(hook, executionId, item[0], test ? "test" : "webhook")
                            .onFailure()
                            .invoke(() -> responses.forget(executionId))
                            .onFailure()
                            .call(() -> release(hook, key))
                            .onFailure()
                            .transform(
                                e -> {
                                  LOG.warnf(
                                      "Webhook %s %s of workspace %s: request not stored: %s",
                                      method, path, workspace, e.toString());
                                  count("unavailable");
                                  return new ProblemException(
                                          503,
                                          "The request could not be stored; nothing was started."
                                              + " Try again.")
                                      .withHeader("Retry-After", "1");
                                })
                            .flatMap(
                                done -> {
                                  count("accepted");
                                  if (!waits) {
                                    return Uni.createFrom()
                                        .item(accepted(hook, executionId, false));
                                  }
                                  return responses
                                      .await(executionId, answer, responseTimeout)
                                      .map(
                                          response -> {
                                            if (response == null) {
                                              count("response_timeout");
                                              return pending(executionId);
                                            }
                                            return answered(response);
                                          });
                                });
                      });
            });
  }

  private static UUID workspaceOf(String text) {
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(404, "No webhook is registered on this URL.");
    }
  }

  private Webhook select(List<Webhook> hooks, String method, String path, boolean test) {
    if (hooks.isEmpty()) {
      count("not_found");
      throw new ProblemException(
          404,
          test
              ? "No test webhook is listening on this URL. Ask for a test event first (POST"
                  + " /api/v1/webhooks/test): the URL then listens for one call, for "
                  + testListeners.window().toSeconds()
                  + " seconds."
              : "No webhook is registered on this URL.");
    }
    for (Webhook h : hooks) {
      if (h.method().equals(method)) {
        return h;
      }
    }
    Set<String> allowed = new TreeSet<>();
    hooks.forEach(h -> allowed.add(h.method()));
    count("method_not_allowed");
    throw new ProblemException(
            405, "The webhook " + path + " listens on " + String.join(", ", allowed) + " only.")
        .withHeader("Allow", String.join(", ", allowed));
  }

  /** A test URL answers one call per listen: the first call that gets here takes it. */
  private Uni<Void> takeTestListener(Webhook hook) {
    return testListeners
        .take(hook)
        .map(
            taken -> {
              if (!taken) {
                count("not_found");
                throw new ProblemException(
                    404,
                    "The test webhook on this URL already received its call; ask for another test"
                        + " event.");
              }
              return null;
            });
  }

  /**
   * With {@code signature: hmac-sha256}: the call must carry {@code X-LinkFlow-Signature: t=<unix
   * seconds>,v1=<hex>} where {@code v1} is the HMAC-SHA256 of {@code "<t>.<body>"} under the
   * webhook's signing secret, {@code t} within the replay window, and the signature not seen before
   * within it (Redis). Anything else: 401, nothing starts.
   */
  private Uni<Void> verifySignature(Webhook hook, HttpHeaders headers, byte[] body) {
    if (!"hmac-sha256".equals(hook.signature())) {
      return Uni.createFrom().voidItem();
    }
    String header = headers.getHeaderString(SIGNATURE_HEADER);
    long timestamp = -1;
    String given = null;
    if (header != null) {
      for (String part : header.split(",")) {
        String p = part.trim();
        if (p.startsWith("t=")) {
          try {
            timestamp = Long.parseLong(p.substring(2));
          } catch (NumberFormatException e) {
            timestamp = -1;
          }
        } else if (p.startsWith("v1=")) {
          given = p.substring(3);
        }
      }
    }
    if (timestamp < 0 || given == null) {
      throw unsigned(
          "This webhook requires "
              + SIGNATURE_HEADER
              + ": t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">.");
    }
    long now = System.currentTimeMillis() / 1000;
    if (Math.abs(now - timestamp) > replayWindow.toSeconds()) {
      throw unsigned(
          "The signature's timestamp is outside the "
              + replayWindow.toSeconds()
              + "-second replay window.");
    }
    long t = timestamp;
    String signature = given;
    return signingSecrets
        .secretOf(hook)
        .flatMap(
            secret -> {
              if (secret.isEmpty()) {
                throw unsigned("No signing secret was created for this webhook yet.");
              }
              String expected = hmacHex(secret.get(), t, body);
              if (!io.linkflow.security.crypto.Secrets.constantTimeEquals(expected, signature)) {
                throw unsigned("The signature does not match the request.");
              }
              return redis
                  .execute(
                      "SET",
                      "webhook:sig:" + hook.workspaceId() + ":" + signature,
                      "1",
                      "NX",
                      "EX",
                      Long.toString(2 * replayWindow.toSeconds()))
                  .map(
                      set -> {
                        if (set == null) {
                          throw unsigned("This signed request was received before (a replay).");
                        }
                        return null;
                      });
            })
        .replaceWithVoid();
  }

  private ProblemException unsigned(String detail) {
    count("bad_signature");
    return new ProblemException(401, detail);
  }

  /** The hex HMAC-SHA256 of {@code "<timestamp>.<body>"} under {@code secret}. */
  static String hmacHex(String secret, long timestamp, byte[] body) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(
          new javax.crypto.spec.SecretKeySpec(
              secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      mac.update(body == null ? new byte[0] : body);
      return java.util.HexFormat.of().formatHex(mac.doFinal());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /**
   * Counts the call against the webhook's {@code rateLimitPerMinute} (a Redis counter per minute,
   * shared by all replicas); 429 with {@code Retry-After} over the limit. No limit: no Redis call.
   */
  private Uni<Void> withinRateLimit(Webhook hook) {
    Integer limit = hook.rateLimitPerMinute();
    if (limit == null) {
      return Uni.createFrom().voidItem();
    }
    long nowSeconds = System.currentTimeMillis() / 1000;
    long minute = nowSeconds / 60;
    String counter =
        "webhook:rate:"
            + hook.workspaceId()
            + ":"
            + hook.method()
            + ":"
            + hook.path()
            + ":"
            + minute;
    return redis
        .execute("INCR", counter)
        .call(
            count ->
                count.toLong() == 1
                    ? redis.execute("EXPIRE", counter, "120")
                    : Uni.createFrom().nullItem())
        .map(
            count -> {
              if (count.toLong() > limit) {
                count("rate_limited");
                throw new ProblemException(
                        429,
                        "This webhook accepts "
                            + limit
                            + " calls a minute; try again in the next minute.")
                    .withHeader("Retry-After", Long.toString(60 - nowSeconds % 60));
              }
              return null;
            })
        .replaceWithVoid();
  }

  /**
   * With an {@code Idempotency-Key}: records it for this webhook unless it is known; the execution
   * id of the first request with the key, or null when this request is the first.
   */
  private Uni<UUID> claim(Webhook hook, String key, UUID executionId) {
    if (key == null || key.isBlank()) {
      return Uni.createFrom().nullItem();
    }
    if (key.length() > 255) {
      throw new ProblemException(400, "The Idempotency-Key is longer than 255 characters.");
    }
    String redisKey = idempotencyKey(hook, key);
    return redis
        .execute(
            "SET",
            redisKey,
            executionId.toString(),
            "NX",
            "EX",
            Long.toString(idempotencyTtl.toSeconds()))
        .flatMap(
            set ->
                set != null
                    ? Uni.createFrom().nullItem()
                    : redis
                        .execute("GET", redisKey)
                        .map(stored -> stored == null ? null : UUID.fromString(stored.toString())));
  }

  private Uni<Void> release(Webhook hook, String key) {
    if (key == null || key.isBlank()) {
      return Uni.createFrom().voidItem();
    }
    return redis
        .execute("DEL", idempotencyKey(hook, key))
        .replaceWithVoid()
        .onFailure()
        .recoverWithNull();
  }

  private static String idempotencyKey(Webhook hook, String key) {
    return "webhook:idem:"
        + hook.workspaceId()
        + ":"
        + hook.method()
        + ":"
        + hook.path()
        + ":"
        + key;
  }

  private Uni<Void> publish(Webhook hook, UUID executionId, ObjectNode item, String mode) {
    EventEnvelope event =
        EventCodec.envelope(
            EventTypes.EXECUTION_REQUESTED_V1,
            source,
            executionId.toString(),
            hook.workspaceId().toString(),
            new ExecutionRequestedV1(
                executionId,
                hook.workflowId(),
                hook.versionId(),
                mode,
                JsonNodeFactory.instance.arrayNode().add(item).toString(),
                hook.nodeId(),
                null,
                null));
    // the producer may block while it learns where the topic lives: never on the event loop
    return publisher.publish(event).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
  }

  /** Whether the caller waits for the execution's answer. */
  private static boolean waits(Webhook hook) {
    return "lastNode".equals(hook.responseMode()) || "responseNode".equals(hook.responseMode());
  }

  /** Response headers never passed on: the server frames the body itself. */
  static final Set<String> FRAMING_HEADERS =
      Set.of("content-length", "transfer-encoding", "connection", "keep-alive", "upgrade");

  /** The execution's answer, as built by the workflow. */
  private static Response answered(WebhookResponseV1 answer) {
    Response.ResponseBuilder response = Response.status(answer.status());
    if (answer.headers() != null) {
      answer
          .headers()
          .forEach(
              (name, value) -> {
                if (!FRAMING_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                  response.header(name, value);
                }
              });
    }
    if (answer.body() != null && answer.status() != 204 && answer.status() != 304) {
      response.entity(answer.body().getBytes(StandardCharsets.UTF_8));
    }
    return response.build();
  }

  /** No answer within the response timeout: the execution goes on; the caller gets its id. */
  private static Response pending(UUID executionId) {
    return Response.status(202)
        .type(MediaType.APPLICATION_JSON)
        .entity(Map.of("executionId", executionId.toString(), "status", "running"))
        .header("Location", "/api/v1/executions/" + executionId)
        .build();
  }

  private static Response accepted(Webhook hook, UUID executionId, boolean replayed) {
    Response.ResponseBuilder response =
        Response.status(hook.responseCode())
            .type(MediaType.APPLICATION_JSON)
            .entity(Map.of("executionId", executionId.toString()))
            .header("Location", "/api/v1/executions/" + executionId);
    if (replayed) {
      response.header("Idempotent-Replayed", "true");
    }
    return response.build();
  }

  /**
   * The item the workflow starts with; credentials ({@link #WITHHELD_HEADERS} and the header an
   * {@code auth: header} webhook checks) stay out of it.
   */
  private ObjectNode item(
      String method,
      String path,
      HttpHeaders headers,
      UriInfo uri,
      byte[] body,
      String credentialHeader) {
    ObjectNode item = JsonNodeFactory.instance.objectNode();
    item.put("method", method);
    item.put("path", path);
    ObjectNode h = item.putObject("headers");
    headers
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              String lower = name.toLowerCase(Locale.ROOT);
              if (!WITHHELD_HEADERS.contains(lower) && !lower.equals(credentialHeader)) {
                h.put(lower, String.join(", ", values));
              }
            });
    ObjectNode query = item.putObject("query");
    uri.getQueryParameters()
        .forEach(
            (name, values) -> {
              if (values.size() == 1) {
                query.put(name, values.get(0));
              } else {
                values.forEach(v -> query.withArray(name).add(v));
              }
            });
    MediaType type = headers.getMediaType();
    if (body != null && body.length > 0) {
      item.set("body", body(type, body));
    } else {
      item.putObject("body");
    }
    return item;
  }

  /**
   * JSON bodies as JSON, forms as an object of fields, text as a string, anything else as base64
   * (with {@code bodyEncoding: base64} beside it in a wrapper object).
   */
  private JsonNode body(MediaType type, byte[] body) {
    String subtype = type == null ? "" : type.getSubtype().toLowerCase(Locale.ROOT);
    String main = type == null ? "" : type.getType().toLowerCase(Locale.ROOT);
    if (subtype.equals("json") || subtype.endsWith("+json")) {
      try {
        return mapper.readTree(body);
      } catch (com.fasterxml.jackson.core.JacksonException e) {
        throw new ProblemException(400, "The body is not valid JSON: " + e.getOriginalMessage());
      } catch (IOException e) {
        throw new ProblemException(400, "The body is not valid JSON.");
      }
    }
    if (main.equals("application") && subtype.equals("x-www-form-urlencoded")) {
      ObjectNode form = JsonNodeFactory.instance.objectNode();
      for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        form.put(name, value);
      }
      return form;
    }
    if (main.equals("text") || type == null) {
      return JsonNodeFactory.instance.textNode(new String(body, StandardCharsets.UTF_8));
    }
    ObjectNode binary = JsonNodeFactory.instance.objectNode();
    binary.put("mimeType", main + "/" + subtype);
    binary.put("bodyEncoding", "base64");
    binary.put("data", Base64.getEncoder().encodeToString(body));
    return binary;
  }

  private void count(String outcome) {
    Counter.builder("webhook_requests_total")
        .description("Incoming webhook calls by outcome")
        .tag("outcome", outcome)
        .register(meters)
        .increment();
  }
}
