package io.linkflow.node;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.linkflow.nodes.CatalogLoader;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The read-only node registry API under /api/v1/nodes. */
@QuarkusTest
@RealInfrastructure(database = "linkflow_node", redis = false)
class NodeApiTest {

  private final String token =
      TestIssuer.get().token(UUID.randomUUID(), UUID.randomUUID(), "viewer");

  @Test
  void pagesThroughEveryNodeTypeInNameOrder() {
    List<String> types = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      var page =
          get("/api/v1/nodes?limit=7" + (cursor == null ? "" : "&cursor=" + cursor))
              .statusCode(200)
              .body("items.size()", org.hamcrest.Matchers.lessThanOrEqualTo(7))
              .extract()
              .jsonPath();
      types.addAll(page.getList("items.type", String.class));
      cursor = page.getString("nextCursor");
      pages++;
    } while (cursor != null && pages < 20);
    List<String> catalog =
        CatalogLoader.load().nodeTypes().stream().map(n -> n.type()).sorted().toList();
    assertThat(types).containsAll(catalog).isSorted().doesNotHaveDuplicates();
    assertThat(pages).isGreaterThanOrEqualTo(4);

    get("/api/v1/nodes")
        .statusCode(200)
        .body("items", hasSize(20))
        .body("nextCursor", notNullValue())
        .body("items[0].version", equalTo(1))
        .body("items[0].parameters", nullValue());
  }

  @Test
  void filtersByCategoryKindAndText() {
    get("/api/v1/nodes?kind=trigger&limit=100")
        .statusCode(200)
        .body(
            "items.type",
            hasItems(
                "linkflow.manualTrigger",
                "linkflow.webhookTrigger",
                "linkflow.scheduleTrigger",
                "linkflow.eventTrigger",
                "linkflow.errorTrigger"))
        .body("items.kind", everyItem(equalTo("trigger")))
        .body("nextCursor", nullValue());
    get("/api/v1/nodes?category=flow&kind=action&limit=100")
        .statusCode(200)
        .body("items.type", hasItems("linkflow.if", "linkflow.switch", "linkflow.merge"))
        .body("items.category", everyItem(equalTo("flow")))
        .body("items.type", org.hamcrest.Matchers.not(hasItem("linkflow.httpRequest")));
    get("/api/v1/nodes?q=HTTP")
        .statusCode(200)
        .body("items.type", hasItems("linkflow.httpRequest", "linkflow.webhookTrigger"));
    get("/api/v1/nodes?q=cron")
        .statusCode(200)
        .body("items.type", contains("linkflow.scheduleTrigger"));
    get("/api/v1/nodes?q=100%25").statusCode(200).body("items", hasSize(0));
    get("/api/v1/nodes?category=nothing").statusCode(200).body("items", hasSize(0));
    get("/api/v1/nodes?kind=other")
        .statusCode(400)
        .contentType("application/problem+json")
        .body("status", equalTo(400));
    get("/api/v1/nodes?limit=0").statusCode(400).contentType("application/problem+json");
    get("/api/v1/nodes?cursor=forged!").statusCode(400).contentType("application/problem+json");
  }

  @Test
  void getsTheLatestVersionOrAGivenOneWithItsSchema() {
    get("/api/v1/nodes/linkflow.httpRequest")
        .statusCode(200)
        .body("type", equalTo("linkflow.httpRequest"))
        .body("version", equalTo(1))
        .body("displayName", equalTo("HTTP Request"))
        .body("kind", equalTo("action"))
        .body("inputs.name", contains("main"))
        .body("parameters.type", equalTo("object"))
        .body("parameters.required", contains("method", "url"))
        .body("parameters.properties.method.default", equalTo("GET"))
        .body("parameters.properties.allowPrivateNetwork.default", equalTo(false))
        .body("credentialTypes.name", hasItem("oauth2ClientCredentials"))
        .body("credentialTypes.required", everyItem(equalTo(false)))
        .body("documentation", org.hamcrest.Matchers.startsWith("# HTTP Request"));
    get("/api/v1/nodes/linkflow.if?version=1")
        .statusCode(200)
        .body("outputs.name", contains("true", "false"));
    get("/api/v1/nodes/linkflow.webhookTrigger").statusCode(200).body("inputs", hasSize(0));
  }

  @Test
  void unknownTypesAndVersionsAre404Problems() {
    get("/api/v1/nodes/linkflow.nope")
        .statusCode(404)
        .contentType("application/problem+json")
        .body("status", equalTo(404))
        .body("detail", equalTo("No node type linkflow.nope."));
    get("/api/v1/nodes/linkflow.httpRequest?version=99")
        .statusCode(404)
        .contentType("application/problem+json");
    get("/api/v1/nodes/linkflow.httpRequest?version=0")
        .statusCode(400)
        .contentType("application/problem+json");
    get("/api/v1/nodes/linkflow.httpRequest?version=latest")
        .statusCode(400)
        .contentType("application/problem+json");
    get("/api/v1/nodes/credential-types/nope")
        .statusCode(404)
        .contentType("application/problem+json");
  }

  @Test
  void listsAndGetsCredentialTypes() {
    get("/api/v1/nodes/credential-types")
        .statusCode(200)
        .body("items", hasSize(7))
        .body(
            "items.name",
            hasItems(
                "httpBasicAuth",
                "httpBearerToken",
                "httpHeaderAuth",
                "oauth2ClientCredentials",
                "oauth2AuthorizationCode",
                "smtp",
                "slackWebhook"));
    get("/api/v1/nodes/credential-types/smtp")
        .statusCode(200)
        .body("name", equalTo("smtp"))
        .body("displayName", equalTo("SMTP"))
        .body("schema.type", equalTo("object"))
        .body("schema.properties.password.x-secret", equalTo(true))
        .body("schema.required", hasItems("host", "from"))
        .body("secretFields", contains("password"));
  }

  @Test
  void needsAnAuthenticatedCallerWithTheNodesScope() {
    for (String path :
        List.of(
            "/api/v1/nodes",
            "/api/v1/nodes/linkflow.httpRequest",
            "/api/v1/nodes/credential-types",
            "/api/v1/nodes/credential-types/smtp")) {
      given()
          .get(path)
          .then()
          .statusCode(401)
          .contentType("application/problem+json")
          .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"));
    }
    String apiKey =
        TestIssuer.get()
            .builder()
            .workspace(UUID.randomUUID())
            .role("editor")
            .scope("nodes:read")
            .sign();
    given().auth().oauth2(apiKey).get("/api/v1/nodes").then().statusCode(200);
    String otherScope =
        TestIssuer.get()
            .builder()
            .workspace(UUID.randomUUID())
            .role("editor")
            .scope("workflows:read")
            .sign();
    given()
        .auth()
        .oauth2(otherScope)
        .get("/api/v1/nodes")
        .then()
        .statusCode(403)
        .contentType("application/problem+json");
  }

  private ValidatableResponse get(String path) {
    return given().auth().oauth2(token).urlEncodingEnabled(false).get(path).then();
  }
}
