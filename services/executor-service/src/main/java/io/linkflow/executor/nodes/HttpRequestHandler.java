package io.linkflow.executor.nodes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.clients.CredentialsClient;
import io.linkflow.clients.DecryptedCredential;
import io.linkflow.clients.InternalCallException;
import io.linkflow.engine.NodeContext;
import io.linkflow.engine.NodeException;
import io.linkflow.engine.NodeHandler;
import io.linkflow.engine.NodeResult;
import io.linkflow.engine.NodeRun;
import io.linkflow.engine.wire.NodeOutcome;
import io.linkflow.executor.run.RunContext;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * HTTP Request ({@code linkflow.httpRequest}, catalog http-request.v1): one request per input item
 * (once with {@code {}} when there is none), one output item per response. Parameters are resolved
 * per item. See the README for the exact behaviour.
 */
@ApplicationScoped
public class HttpRequestHandler implements NodeHandler {

  public static final String TYPE = "linkflow.httpRequest";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> METHODS =
      Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
  private static final int ERROR_BODY_CHARS = 2048;

  private final OutboundHttp http;
  private final CredentialsClient credentials;
  private final OAuth2Tokens oauth2;

  public HttpRequestHandler(OutboundHttp http, CredentialsClient credentials, OAuth2Tokens oauth2) {
    this.http = http;
    this.credentials = credentials;
    this.oauth2 = oauth2;
  }

  @Override
  public String type() {
    return TYPE;
  }

  /** The authentication of one request: headers to add, and the secrets they carry. */
  private record Auth(String type, DecryptedCredential credential, Map<String, String> headers) {}

  @Override
  public NodeResult run(NodeRun run, NodeContext context) {
    RunContext runContext = RunContext.current();
    Redactor redactor = new Redactor();
    Map<String, DecryptedCredential> decrypted = new HashMap<>();
    List<ObjectNode> items =
        run.main().isEmpty() ? List.of(JsonNodeFactory.instance.objectNode()) : run.main();
    List<ObjectNode> output = new ArrayList<>();
    try {
      for (ObjectNode item : items) {
        ObjectNode parameters = context.parameters(run, item);
        output.addAll(request(run, parameters, runContext, decrypted, redactor));
      }
    } catch (NodeException e) {
      throw redactor.redact(e);
    }
    return NodeResult.main(output);
  }

  private List<ObjectNode> request(
      NodeRun run,
      ObjectNode parameters,
      RunContext runContext,
      Map<String, DecryptedCredential> decrypted,
      Redactor redactor) {
    String method = parameters.path("method").asText("GET").toUpperCase(Locale.ROOT);
    if (!METHODS.contains(method)) {
      throw Failures.parameter(run, "/method", "\"" + method + "\" is not an HTTP method");
    }
    String bodyType = parameters.path("bodyType").asText("none");
    String responseFormat = parameters.path("responseFormat").asText("json");
    if ("binary".equals(bodyType)) {
      throw Failures.parameter(
          run,
          "/bodyType",
          "binary bodies need binary data from storage, which is not available in this release;"
              + " use json, form or text");
    }
    if ("binary".equals(responseFormat)) {
      throw Failures.parameter(
          run,
          "/responseFormat",
          "binary responses need binary data storage, which is not available in this release;"
              + " use json or text");
    }
    URI uri = uri(run, parameters);
    long timeoutMs = Math.max(1, parameters.path("timeoutMs").asLong(30_000));
    boolean fullResponse = parameters.path("fullResponse").asBoolean(false);
    boolean failOnHttpError = parameters.path("failOnHttpError").asBoolean(true);

    Map<String, String> headers = new LinkedHashMap<>();
    parameters
        .path("headers")
        .properties()
        .forEach(h -> headers.put(h.getKey(), text(h.getValue())));
    Buffer body = body(run, parameters, bodyType, headers);
    if (!"text".equals(responseFormat) && !hasHeader(headers, "accept")) {
      headers.put("Accept", "application/json, */*;q=0.5");
    }

    String authentication = parameters.path("authentication").asText("none");
    Auth auth = auth(run, authentication, runContext, decrypted, redactor, timeoutMs);
    Map<String, String> sent = new LinkedHashMap<>(headers);
    if (auth != null) {
      for (Map.Entry<String, String> header : auth.headers().entrySet()) {
        put(sent, header.getKey(), header.getValue());
      }
    }
    OutboundHttp.Response response =
        send(run, method, uri, sent, auth, body, timeoutMs, parameters, runContext);
    if (auth != null && response.status() == 401 && "oauth2ClientCredentials".equals(auth.type())) {
      // the cached token may have been revoked: fetch a new one once
      oauth2.invalidate(auth.credential());
      Auth fresh = auth(run, authentication, runContext, decrypted, redactor, timeoutMs);
      sent = new LinkedHashMap<>(headers);
      for (Map.Entry<String, String> header : fresh.headers().entrySet()) {
        put(sent, header.getKey(), header.getValue());
      }
      response = send(run, method, uri, sent, fresh, body, timeoutMs, parameters, runContext);
    }
    return output(run, method, response, responseFormat, fullResponse, failOnHttpError);
  }

  private OutboundHttp.Response send(
      NodeRun run,
      String method,
      URI uri,
      Map<String, String> headers,
      Auth auth,
      Buffer body,
      long timeoutMs,
      ObjectNode parameters,
      RunContext runContext) {
    try {
      return http.send(
          new OutboundHttp.Request(
              method,
              uri,
              headers,
              auth == null ? Set.of() : auth.headers().keySet(),
              body,
              timeoutMs,
              parameters.path("followRedirects").asBoolean(true),
              parameters.path("allowPrivateNetwork").asBoolean(false)),
          runContext.control());
    } catch (OutboundHttp.CallException e) {
      switch (e.failure()) {
        case REFUSED -> throw Failures.parameter(run, "/url", e.getMessage());
        case TIMEOUT -> {
          runContext.control().failAs(NodeOutcome.TIMEOUT);
          throw Failures.fail(run, method + " " + e.getMessage(), true);
        }
        case CONNECTION -> throw Failures.fail(run, method + " " + e.getMessage(), true);
        case TOO_LARGE -> {
          runContext.control().failAs(NodeOutcome.LIMIT);
          throw Failures.fail(run, e.getMessage(), false);
        }
        case INVALID -> throw Failures.fail(run, e.getMessage(), false);
        case TOO_MANY_REDIRECTS -> throw Failures.fail(run, e.getMessage(), false);
        default -> throw Failures.fail(run, "the request was stopped", false);
      }
    }
  }

  private URI uri(NodeRun run, ObjectNode parameters) {
    String url = parameters.path("url").asText("").trim();
    if (url.isEmpty()) {
      throw Failures.parameter(run, "/url", "required: the URL to call");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw Failures.parameter(run, "/url", "\"" + url + "\" is not a valid URL: " + e.getReason());
    }
    if (uri.getScheme() == null || uri.getHost() == null) {
      throw Failures.parameter(run, "/url", "\"" + url + "\" is not an absolute http(s) URL");
    }
    JsonNode query = parameters.path("query");
    if (query.isObject() && !query.isEmpty()) {
      StringBuilder extra = new StringBuilder();
      query
          .properties()
          .forEach(
              q -> {
                if (!extra.isEmpty()) {
                  extra.append('&');
                }
                extra.append(encode(q.getKey())).append('=').append(encode(text(q.getValue())));
              });
      String existing = uri.getRawQuery();
      String base = url.contains("#") ? url.substring(0, url.indexOf('#')) : url;
      try {
        uri = new URI(base + (existing == null ? "?" : "&") + extra);
      } catch (URISyntaxException e) {
        throw Failures.parameter(run, "/query", "does not make a valid URL: " + e.getReason());
      }
    }
    return uri;
  }

  private Buffer body(
      NodeRun run, ObjectNode parameters, String bodyType, Map<String, String> headers) {
    JsonNode body = parameters.get("body");
    if ("none".equals(bodyType) || body == null || body.isNull() || body.isMissingNode()) {
      return null;
    }
    switch (bodyType) {
      case "json" -> {
        String json;
        if (body.isTextual()) {
          try {
            json = JSON.writeValueAsString(JSON.readTree(body.asText()));
          } catch (IOException e) {
            throw Failures.parameter(run, "/body", "is not valid JSON (bodyType json)");
          }
        } else {
          json = body.toString();
        }
        putIfAbsent(headers, "Content-Type", "application/json");
        return Buffer.buffer(json);
      }
      case "form" -> {
        String form;
        if (body.isObject()) {
          StringBuilder text = new StringBuilder();
          body.properties()
              .forEach(
                  f -> {
                    if (!text.isEmpty()) {
                      text.append('&');
                    }
                    text.append(encode(f.getKey())).append('=').append(encode(text(f.getValue())));
                  });
          form = text.toString();
        } else if (body.isTextual()) {
          form = body.asText();
        } else {
          throw Failures.parameter(run, "/body", "must be an object of fields (bodyType form)");
        }
        putIfAbsent(headers, "Content-Type", "application/x-www-form-urlencoded");
        return Buffer.buffer(form);
      }
      case "text" -> {
        putIfAbsent(headers, "Content-Type", "text/plain; charset=utf-8");
        return Buffer.buffer(text(body));
      }
      default -> throw Failures.parameter(run, "/bodyType", "unknown body type " + bodyType);
    }
  }

  private Auth auth(
      NodeRun run,
      String type,
      RunContext runContext,
      Map<String, DecryptedCredential> decrypted,
      Redactor redactor,
      long timeoutMs) {
    if ("none".equals(type) || type.isBlank()) {
      return null;
    }
    String credentialId = runContext.credentials().get(type);
    if (credentialId == null) {
      throw Failures.parameter(
          run, "/authentication", "no " + type + " credential is selected for this node");
    }
    DecryptedCredential credential = decrypted.get(type);
    if (credential == null) {
      try {
        credential =
            credentials
                .decrypt(runContext.workspaceId(), credentialId, runContext.executionId())
                .await()
                .atMost(Duration.ofMillis(runContext.remainingMillis()));
      } catch (InternalCallException e) {
        throw Failures.fail(run, e.getMessage(), e.retryable());
      }
      decrypted.put(type, credential);
      collectSecrets(credential, redactor);
    }
    if (credential.type() != null && !type.equals(credential.type())) {
      throw Failures.parameter(
          run,
          "/authentication",
          "credential " + credentialId + " is a " + credential.type() + " credential, not " + type);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    switch (type) {
      case "httpBasicAuth" -> {
        String user = orEmpty(credential.field("user"));
        String password = orEmpty(credential.field("password"));
        String value =
            "Basic "
                + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        redactor.add(value);
        redactor.add(value.substring(6));
        headers.put("Authorization", value);
      }
      case "httpBearerToken" ->
          headers.put("Authorization", "Bearer " + orEmpty(credential.field("token")));
      case "httpHeaderAuth" -> {
        String name = credential.field("name");
        headers.put(
            name == null || name.isBlank() ? "X-API-Key" : name,
            orEmpty(credential.field("value")));
      }
      case "oauth2AuthorizationCode" -> {
        String token =
            credential.accessToken() != null
                ? credential.accessToken()
                : credential.field("accessToken");
        if (token == null || token.isBlank()) {
          throw Failures.fail(
              run, "credential " + credentialId + " has no access token: connect it first", false);
        }
        headers.put("Authorization", "Bearer " + token);
      }
      case "oauth2ClientCredentials" -> {
        try {
          String token = oauth2.token(credential, timeoutMs, runContext.control());
          redactor.add(token);
          headers.put("Authorization", "Bearer " + token);
        } catch (OAuth2Tokens.GrantException e) {
          throw Failures.fail(run, e.getMessage(), e.retryable());
        }
      }
      default -> throw Failures.parameter(run, "/authentication", "unknown authentication " + type);
    }
    return new Auth(type, credential, headers);
  }

  private static void collectSecrets(DecryptedCredential credential, Redactor redactor) {
    redactor.add(credential.accessToken());
    List<String> secretFields =
        credential.type() == null
            ? null
            : io.linkflow.nodes.Catalog.builtIn()
                .credentialType(credential.type())
                .map(io.linkflow.nodes.CredentialType::secretFields)
                .orElse(null);
    if (credential.data() == null) {
      return;
    }
    credential
        .data()
        .properties()
        .forEach(
            field -> {
              if ((secretFields == null || secretFields.contains(field.getKey()))
                  && field.getValue().isTextual()) {
                redactor.add(field.getValue().asText());
              }
            });
  }

  private List<ObjectNode> output(
      NodeRun run,
      String method,
      OutboundHttp.Response response,
      String responseFormat,
      boolean fullResponse,
      boolean failOnHttpError) {
    int status = response.status();
    String text = new String(response.body(), StandardCharsets.UTF_8);
    boolean error = status >= 400;
    JsonNode body;
    if ("text".equals(responseFormat)) {
      body = JsonNodeFactory.instance.textNode(text);
    } else if (text.isBlank()) {
      body = null;
    } else {
      try {
        body = JSON.readTree(text);
      } catch (JsonProcessingException e) {
        if (!error) {
          throw Failures.fail(
              run,
              method
                  + " "
                  + OutboundHttp.describe(response.uri())
                  + " answered "
                  + contentType(response)
                  + ", not JSON: set responseFormat to text",
              false);
        }
        body = JsonNodeFactory.instance.textNode(text);
      }
    }
    if (error && failOnHttpError) {
      ObjectNode details = JsonNodeFactory.instance.objectNode();
      details.put("statusCode", status);
      if (body != null && body.isTextual() && body.asText().length() > ERROR_BODY_CHARS) {
        details.put("body", body.asText().substring(0, ERROR_BODY_CHARS) + "…");
      } else if (body != null && body.toString().length() > ERROR_BODY_CHARS * 4) {
        details.put("body", body.toString().substring(0, ERROR_BODY_CHARS) + "…");
      } else {
        details.set("body", body);
      }
      boolean retryable = status == 429 || status >= 500;
      throw Failures.fail(
          run,
          method
              + " "
              + OutboundHttp.describe(response.uri())
              + " answered "
              + status
              + (response.statusMessage() == null || response.statusMessage().isBlank()
                  ? ""
                  : " " + response.statusMessage()),
          retryable,
          details);
    }
    if (fullResponse) {
      ObjectNode item = JsonNodeFactory.instance.objectNode();
      item.put("statusCode", status);
      ObjectNode headers = item.putObject("headers");
      response.headers().forEach(headers::put);
      item.set("body", body == null ? JsonNodeFactory.instance.textNode("") : body);
      return List.of(item);
    }
    if (body == null) {
      return List.of(JsonNodeFactory.instance.objectNode());
    }
    if (body.isObject()) {
      return List.of((ObjectNode) body);
    }
    if (body.isArray()) {
      List<ObjectNode> items = new ArrayList<>();
      for (JsonNode element : body) {
        items.add(element.isObject() ? (ObjectNode) element : wrap(element));
      }
      return items;
    }
    return List.of(wrap(body));
  }

  private static ObjectNode wrap(JsonNode value) {
    ObjectNode item = JsonNodeFactory.instance.objectNode();
    item.set("data", value);
    return item;
  }

  private static String contentType(OutboundHttp.Response response) {
    String type = response.headers().get("content-type");
    return type == null ? "a body without Content-Type" : type;
  }

  private static String text(JsonNode value) {
    return value == null || value.isNull()
        ? ""
        : value.isTextual() ? value.asText() : value.toString();
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static boolean hasHeader(Map<String, String> headers, String name) {
    return headers.keySet().stream().anyMatch(name::equalsIgnoreCase);
  }

  private static void putIfAbsent(Map<String, String> headers, String name, String value) {
    if (!hasHeader(headers, name)) {
      headers.put(name, value);
    }
  }

  /** Sets a header, replacing one of the same name in any case. */
  private static void put(Map<String, String> headers, String name, String value) {
    headers.keySet().removeIf(name::equalsIgnoreCase);
    headers.put(name, value);
  }
}
