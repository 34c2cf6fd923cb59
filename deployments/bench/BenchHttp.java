// HTTP helpers shared by the benchmarks (deployments/bench): a JSON call that must answer a given
// status, and a string field out of a JSON answer. Compiled with the benchmark that uses it.

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

final class BenchHttp {

  private BenchHttp() {}

  static String send(HttpClient http, String method, String url, String token, String body, int expect)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != expect) {
      throw new IllegalStateException(method + " " + url + ": " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
    if (!m.find()) {
      throw new IllegalStateException(name + " not in " + json);
    }
    return m.group(1);
  }

  /** A new account's token and workspace, and the workflow created in it (its JSON). */
  record Setup(String token, String workspace, String workflow) {}

  /**
   * Signs up a new account and creates {@code workflowJson} in its workspace, retrying while
   * workflow-service has not learned of the new member yet (it does over Kafka).
   */
  static Setup signUpWithWorkflow(HttpClient http, String base, String workflowJson)
      throws Exception {
    String email = "bench-" + java.util.UUID.randomUUID() + "@example.com";
    String signUp = send(http, "POST", base + "/api/v1/auth/signup", null,
        "{\"email\":\"" + email + "\",\"password\":\"bench password 42 long\"}", 201);
    String token = field(signUp, "accessToken");
    for (int i = 0; i < 20; i++) {
      try {
        return new Setup(token, field(signUp, "workspaceId"),
            send(http, "POST", base + "/api/v1/workflows", token, workflowJson, 201));
      } catch (IllegalStateException notYet) {
        Thread.sleep(500);
      }
    }
    throw new IllegalStateException("the workflow could not be created");
  }
}
