package io.linkflow.localstack;

import static io.linkflow.localstack.ExecutionDrillIT.call;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The first complete user journey of the README, against the whole platform started by {@code make
 * run-local}, entirely through the :8000 edge (run by {@code make e2e}, part of {@code make test}):
 * sign up, log in, a credential and a variable, a workflow Webhook → HTTP Request (a local
 * endpoint, with the credential) → IF → Set → Respond to Webhook answering the caller, its
 * executions and node runs, a workflow on a cron every two seconds, both deactivated, and a run by
 * API.
 */
class JourneyIT {

  static HttpServer crm;
  static final AtomicInteger crmCalls = new AtomicInteger();
  static final String CRM_KEY = "journey-key-" + UUID.randomUUID();

  @BeforeAll
  static void platform() throws Exception {
    // the "CRM" the workflow asks: answers a customer's tier only to callers with the API key
    crm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    crm.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    crm.createContext(
        "/customers",
        exchange -> {
          crmCalls.incrementAndGet();
          String key = exchange.getRequestHeaders().getFirst("X-Api-Key");
          String customer = exchange.getRequestURI().getPath().replaceFirst(".*/", "");
          int status = CRM_KEY.equals(key) ? 200 : 401;
          String body =
              status == 401
                  ? "{\"error\":\"no key\"}"
                  : customer.startsWith("gold")
                      ? "{\"tier\":\"gold\",\"discount\":10}"
                      : "{\"tier\":\"standard\",\"discount\":0}";
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    crm.start();
    ExecutionDrillIT.make("run-local");
  }

  @AfterAll
  static void stop() {
    if (crm != null) {
      crm.stop(0);
    }
  }

  @Test
  void aUserBuildsRunsAndStopsWorkflowsThroughTheEdge() throws Exception {
    // sign up, then log in as a returning user would
    String email = "journey-" + UUID.randomUUID() + "@example.com";
    String password = "journey password 42 long";
    JsonNode signUp =
        call(
            "POST",
            "/api/v1/auth/signup",
            null,
            "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}",
            201);
    String workspace = signUp.path("workspaceId").asText();
    JsonNode login =
        call(
            "POST",
            "/api/v1/auth/login",
            null,
            "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}",
            200);
    String token = login.path("accessToken").asText();
    assertThat(token).isNotBlank();

    // a credential (the CRM's API key) and a variable (where the CRM is)
    JsonNode credential =
        retry(
            () ->
                call(
                    "POST",
                    "/api/v1/credentials",
                    token,
                    "{\"name\":\"CRM key\",\"type\":\"httpHeaderAuth\",\"data\":{\"name\":\"X-Api-Key\",\"value\":\""
                        + CRM_KEY
                        + "\"}}",
                    -1),
            r -> r.has("id"));
    assertThat(credential.path("secretFields").toString()).contains("value");
    assertThat(credential.path("data").has("value")).isFalse();
    retry(
        () ->
            call(
                "POST",
                "/api/v1/variables",
                token,
                "{\"key\":\"CRM_URL\",\"value\":\"http://127.0.0.1:"
                    + crm.getAddress().getPort()
                    + "\"}",
                -1),
        r -> r.has("id"));

    // Webhook → HTTP Request (credential) → IF gold → Set price → Respond; else → Respond 200
    String path = "orders-" + UUID.randomUUID().toString().substring(0, 8);
    String orders =
        retry(
                () ->
                    call(
                        "POST",
                        "/api/v1/workflows",
                        token,
                        """
                        {"name":"Price an order","nodes":[
                          {"id":"hook","name":"Order","type":"linkflow.webhookTrigger",
                           "parameters":{"path":"%s","method":"POST","responseMode":"responseNode"}},
                          {"id":"crm","name":"Customer","type":"linkflow.httpRequest",
                           "parameters":{"url":"{{ $vars.CRM_URL }}/customers/{{ $json.body.customer }}",
                                         "authentication":"httpHeaderAuth"},
                           "credentials":{"httpHeaderAuth":{"id":"%s"}}},
                          {"id":"if","name":"Gold?","type":"linkflow.if",
                           "parameters":{"conditions":[{"left":"{{ $json.tier }}","operator":"equals","right":"gold"}]}},
                          {"id":"set","name":"Price","type":"linkflow.set",
                           "parameters":{"keepOnlySet":true,"fields":[
                             {"name":"tier","type":"string","value":"{{ $json.tier }}"},
                             {"name":"total","type":"number",
                              "value":"{{ $node[\\"Order\\"].json.body.qty * 20 * (100 - $json.discount) / 100 }}"}]}},
                          {"id":"ok","name":"Answer","type":"linkflow.respondToWebhook",
                           "parameters":{"respondWith":"firstItem","statusCode":200,"headers":{"X-Journey":"priced"}}},
                          {"id":"no","name":"Not gold","type":"linkflow.respondToWebhook",
                           "parameters":{"respondWith":"json","statusCode":200,"body":"{\\"tier\\":\\"standard\\",\\"total\\":null}"}}],
                         "connections":[
                          {"from":{"node":"hook"},"to":{"node":"crm"}},
                          {"from":{"node":"crm"},"to":{"node":"if"}},
                          {"from":{"node":"if","port":"true"},"to":{"node":"set"}},
                          {"from":{"node":"if","port":"false"},"to":{"node":"no"}},
                          {"from":{"node":"set"},"to":{"node":"ok"}}]}
                        """
                            .formatted(path, credential.path("id").asText()),
                        -1),
                r -> r.has("id"))
            .path("id")
            .asText();
    call("POST", "/api/v1/workflows/" + orders + "/activate", token, null, 200);
    retry(
        () -> call("GET", "/api/v1/webhooks", token, null, 200),
        r -> r.path("items").toString().contains("\"/webhook/" + workspace + "/" + path + "\""));

    // POST the webhook: the response the workflow built
    HttpResponse<String> priced =
        post("/webhook/" + workspace + "/" + path, "{\"customer\":\"gold-7\",\"qty\":3}");
    assertThat(priced.statusCode()).as(priced.body()).isEqualTo(200);
    assertThat(priced.headers().firstValue("X-Journey")).hasValue("priced");
    JsonNode answer = ExecutionDrillIT.JSON.readTree(priced.body());
    assertThat(answer.path("tier").asText()).isEqualTo("gold");
    assertThat(answer.path("total").asDouble()).isEqualTo(54.0); // 3 × 20, 10 % off
    HttpResponse<String> standard =
        post("/webhook/" + workspace + "/" + path, "{\"customer\":\"c-1\",\"qty\":1}");
    assertThat(standard.statusCode()).isEqualTo(200);
    assertThat(ExecutionDrillIT.JSON.readTree(standard.body()).path("tier").asText())
        .isEqualTo("standard");
    assertThat(crmCalls.get()).isGreaterThanOrEqualTo(2);

    // the executions, and each node's run
    JsonNode list =
        retry(
            () -> call("GET", "/api/v1/executions?workflowId=" + orders, token, null, 200),
            r ->
                r.path("items").size() == 2
                    && r.path("items").findValuesAsText("status").stream()
                        .allMatch("succeeded"::equals));
    List<String> ranOnGold = new ArrayList<>();
    for (JsonNode e : list.path("items")) {
      assertThat(e.path("mode").asText()).isEqualTo("webhook");
      JsonNode detail =
          call("GET", "/api/v1/executions/" + e.path("id").asText(), token, null, 200);
      List<String> nodes = detail.path("nodeRuns").findValuesAsText("nodeId");
      assertThat(detail.path("nodeRuns").findValuesAsText("status")).allMatch("succeeded"::equals);
      if (nodes.contains("set")) {
        ranOnGold = nodes;
      }
    }
    assertThat(ranOnGold).containsExactlyInAnyOrder("hook", "crm", "if", "set", "ok");

    // a workflow on a cron every two seconds: executions appear on their own
    String ticking =
        call(
                "POST",
                "/api/v1/workflows",
                token,
                """
                {"name":"Every two seconds","nodes":[
                  {"id":"cron","name":"Tick","type":"linkflow.scheduleTrigger",
                   "parameters":{"cron":"*/2 * * * * *","timezone":"Europe/Paris"}},
                  {"id":"s","name":"Stamp","type":"linkflow.set",
                   "parameters":{"fields":[{"name":"at","value":"{{ $json.timestamp }}"}]}}],
                 "connections":[{"from":{"node":"cron"},"to":{"node":"s"}}]}
                """,
                201)
            .path("id")
            .asText();
    call("POST", "/api/v1/workflows/" + ticking + "/activate", token, null, 200);
    JsonNode ticks =
        retry(
            () ->
                call(
                    "GET",
                    "/api/v1/executions?workflowId=" + ticking + "&status=succeeded",
                    token,
                    null,
                    200),
            r -> r.path("items").size() >= 3);
    for (JsonNode e : ticks.path("items")) {
      assertThat(e.path("mode").asText()).isEqualTo("schedule");
    }

    // deactivate both: the webhook stops answering, the cron stops firing
    call("POST", "/api/v1/workflows/" + orders + "/deactivate", token, null, 200);
    call("POST", "/api/v1/workflows/" + ticking + "/deactivate", token, null, 200);
    retry(
        () -> call("GET", "/api/v1/webhooks", token, null, 200),
        r -> !r.path("items").toString().contains(path));
    assertThat(post("/webhook/" + workspace + "/" + path, "{}").statusCode()).isEqualTo(404);
    Thread.sleep(3000); // a tick already requested may still be counted
    int after = count(token, ticking);
    Thread.sleep(5000); // two and a half cron periods
    assertThat(count(token, ticking)).as("no tick after deactivation").isEqualTo(after);

    // run a workflow by API: 202 and the execution id
    JsonNode run =
        call(
            "POST",
            "/api/v1/workflows/" + ticking + "/execute",
            token,
            "{\"input\":{\"by\":\"api\"}}",
            202);
    String executionId = run.path("executionId").asText();
    JsonNode done =
        retry(
            // -1: a 404 until execution-service has stored the request is waited out too
            () -> call("GET", "/api/v1/executions/" + executionId, token, null, -1),
            r -> r.path("status").asText().equals("succeeded"));
    assertThat(done.path("mode").asText()).isEqualTo("manual");
    System.out.printf(
        "journey: webhook answered %s, %d executions listed, %d scheduled ticks seen%n",
        answer, list.path("items").size(), ticks.path("items").size());
  }

  private static int count(String token, String workflow) throws Exception {
    return call("GET", "/api/v1/executions?workflowId=" + workflow + "&limit=100", token, null, 200)
        .path("items")
        .size();
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return ExecutionDrillIT.HTTP.send(
        HttpRequest.newBuilder(URI.create(ExecutionDrillIT.BASE + path))
            .timeout(Duration.ofSeconds(40))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  interface Call {
    JsonNode get() throws IOException, InterruptedException;
  }

  /**
   * Calls until the answer satisfies {@code done} (events reach other services in about a second:
   * the new member, the registration); fails with the last answer after 30 s.
   */
  private static JsonNode retry(Call call, Predicate<JsonNode> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode last = call.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached within 30 s; last answer: " + last);
      }
      Thread.sleep(250);
      last = call.get();
    }
    return last;
  }
}
