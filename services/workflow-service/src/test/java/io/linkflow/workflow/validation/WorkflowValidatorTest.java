package io.linkflow.workflow.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.linkflow.common.error.Problem.FieldError;
import io.linkflow.nodes.Catalog;
import io.linkflow.workflow.model.WorkflowInput;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each rule of the registry validation, on its own, with where the error points. */
class WorkflowValidatorTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final WorkflowValidator validator = new WorkflowValidator(Catalog.builtIn());

  static final String WEBHOOK =
      """
      {"id": "hook", "name": "Webhook", "type": "linkflow.webhookTrigger", "typeVersion": 1,
       "parameters": {"path": "orders", "method": "POST"}}""";
  static final String HTTP =
      """
      {"id": "call", "name": "Call API", "type": "linkflow.httpRequest", "typeVersion": 1,
       "parameters": {"method": "POST", "url": "https://api.example.com/orders"}}""";

  @Test
  void aValidWorkflowHasNoErrorsAndGetsDefaults() throws Exception {
    WorkflowValidator.Result result =
        validate(
            """
            {"name": "Orders", "nodes": [%s, %s],
             "connections": [{"from": {"node": "hook"}, "to": {"node": "call"}}]}"""
                .formatted(WEBHOOK, HTTP));
    assertThat(result.errors()).isEmpty();
    assertThat(result.definition().settings().timezone()).isEqualTo("UTC");
    assertThat(result.definition().settings().executionTimeoutSeconds()).isEqualTo(3600);
    assertThat(result.definition().connections().get(0).from().port()).isEqualTo("main");
  }

  @Test
  void unknownTypesAndVersionsPointAtTheNode() throws Exception {
    List<FieldError> errors =
        validate(
                """
                {"name": "x", "nodes": [
                  {"id": "a", "name": "A", "type": "linkflow.teleport", "typeVersion": 1},
                  {"id": "b", "name": "B", "type": "linkflow.noOp", "typeVersion": 9}]}""")
            .errors();
    assertThat(errors)
        .containsExactlyInAnyOrder(
            new FieldError(
                "/nodes/0/type",
                "unknown node type linkflow.teleport (GET /api/v1/nodes lists them)",
                "a"),
            new FieldError(
                "/nodes/1/typeVersion", "linkflow.noOp has no version 9 (versions: [1])", "b"));
  }

  @Test
  void aScheduleTriggerMustBeOneThatCanBeScheduled() throws Exception {
    List<FieldError> errors =
        validate(
                """
                {"name": "x", "nodes": [
                  {"id": "a", "name": "A", "type": "linkflow.scheduleTrigger", "typeVersion": 1,
                   "parameters": {"cron": "0 9 * * MON-FRI", "timezone": "Europe/Paris"}},
                  {"id": "b", "name": "B", "type": "linkflow.scheduleTrigger", "typeVersion": 1,
                   "parameters": {"cron": "61 * * * *"}},
                  {"id": "c", "name": "C", "type": "linkflow.scheduleTrigger", "typeVersion": 1,
                   "parameters": {"cron": "0 0 30 2 *"}},
                  {"id": "d", "name": "D", "type": "linkflow.scheduleTrigger", "typeVersion": 1,
                   "parameters": {"intervalSeconds": 30, "timezone": "Mars/Olympus"}},
                  {"id": "e", "name": "E", "type": "linkflow.scheduleTrigger", "typeVersion": 1,
                   "parameters": {"cron": "{{ $vars.WHEN }}"}},
                  {"id": "f", "name": "F", "type": "linkflow.scheduleTrigger", "typeVersion": 1,
                   "parameters": {"cron": "*/5 * * * * *"}}]}""")
            .errors();
    assertThat(errors)
        .extracting(FieldError::pointer, FieldError::nodeId)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("/nodes/1/parameters/cron", "b"),
            org.assertj.core.groups.Tuple.tuple("/nodes/2/parameters/cron", "c"),
            org.assertj.core.groups.Tuple.tuple("/nodes/3/parameters/timezone", "d"),
            org.assertj.core.groups.Tuple.tuple("/nodes/4/parameters/cron", "e"));
    assertThat(errors)
        .filteredOn(e -> e.nodeId().equals("c"))
        .extracting(FieldError::message)
        .containsExactly("the cron expression never fires");
  }

  @Test
  void parametersFailingTheSchemaPointAtTheField() throws Exception {
    List<FieldError> errors =
        validate(
                """
                {"name": "x", "nodes": [{"id": "call", "name": "Call", "type": "linkflow.httpRequest",
                  "typeVersion": 1, "parameters": {"method": "FETCH"}}]}""")
            .errors();
    assertThat(errors)
        .extracting(FieldError::pointer)
        .containsExactlyInAnyOrder("/nodes/0/parameters/method", "/nodes/0/parameters/url");
    assertThat(errors).extracting(FieldError::nodeId).containsOnly("call");
    assertThat(errors)
        .filteredOn(e -> e.pointer().endsWith("/method"))
        .extracting(FieldError::message)
        .singleElement()
        .asString()
        .startsWith("does not have a value in the enumeration");
  }

  @Test
  void anExpressionStandsForAnyValueButARequiredFieldIsStillRequired() throws Exception {
    assertThat(
            validate(
                    """
                    {"name": "x", "nodes": [{"id": "call", "name": "Call",
                      "type": "linkflow.httpRequest", "typeVersion": 1,
                      "parameters": {"method": "{{ $json.verb }}", "url": "{{ $vars.API }}/x"}}]}""")
                .errors())
        .isEmpty();
  }

  @Test
  void danglingDuplicateAndWrongPortConnectionsAreErrors() throws Exception {
    List<FieldError> errors =
        validate(
                """
                {"name": "x", "nodes": [%s, %s],
                 "connections": [
                   {"from": {"node": "hook"}, "to": {"node": "call"}},
                   {"from": {"node": "hook"}, "to": {"node": "call", "port": "main"}},
                   {"from": {"node": "hook"}, "to": {"node": "ghost"}},
                   {"from": {"node": "call", "port": "true"}, "to": {"node": "hook"}}]}"""
                    .formatted(WEBHOOK, HTTP))
            .errors();
    assertThat(errors)
        .extracting(FieldError::pointer)
        .containsExactlyInAnyOrder(
            "/connections/1",
            "/connections/2/to/node",
            "/connections/3/from/port",
            "/connections/3/to/port");
    assertThat(errors)
        .filteredOn(e -> e.pointer().equals("/connections/2/to/node"))
        .extracting(FieldError::message)
        .containsExactly("no node has the id ghost");
    assertThat(errors)
        .filteredOn(e -> e.pointer().equals("/connections/2/to/node"))
        .extracting(FieldError::nodeId)
        .containsExactly("hook");
  }

  @Test
  void duplicateNodeIdsAndNamesAreErrors() throws Exception {
    List<FieldError> errors =
        validate(
                """
                {"name": "x", "nodes": [
                  {"id": "a", "name": "Same", "type": "linkflow.noOp"},
                  {"id": "a", "name": "same", "type": "linkflow.noOp"}]}""")
            .errors();
    assertThat(errors)
        .extracting(FieldError::pointer)
        .containsExactlyInAnyOrder("/nodes/1/id", "/nodes/1/name");
  }

  @Test
  void cyclesAreRefusedUnlessTheyRunThroughALoopNode() throws Exception {
    String nodes =
        """
        [{"id": "a", "name": "A", "type": "linkflow.manualTrigger"},
         {"id": "b", "name": "B", "type": "linkflow.noOp"},
         {"id": "c", "name": "C", "type": "linkflow.noOp"},
         {"id": "loop", "name": "Loop", "type": "linkflow.splitInBatches",
          "parameters": {"batchSize": 10}}]""";
    List<FieldError> cycle =
        validate(
                """
                {"name": "x", "nodes": %s, "connections": [
                  {"from": {"node": "a"}, "to": {"node": "b"}},
                  {"from": {"node": "b"}, "to": {"node": "c"}},
                  {"from": {"node": "c"}, "to": {"node": "b"}}]}"""
                    .formatted(nodes))
            .errors();
    assertThat(cycle).hasSize(1);
    assertThat(cycle.get(0).message()).contains("closes a cycle");

    List<FieldError> loop =
        validate(
                """
                {"name": "x", "nodes": %s, "connections": [
                  {"from": {"node": "a"}, "to": {"node": "loop"}},
                  {"from": {"node": "loop", "port": "loop"}, "to": {"node": "b"}},
                  {"from": {"node": "b"}, "to": {"node": "c"}},
                  {"from": {"node": "c"}, "to": {"node": "loop"}}]}"""
                    .formatted(nodes))
            .errors();
    assertThat(loop).isEmpty();
  }

  @Test
  void aCredentialRequiredByAParameterMustBeGiven() throws Exception {
    String node =
        """
        {"name": "x", "nodes": [{"id": "call", "name": "Call", "type": "linkflow.httpRequest",
          "parameters": {"url": "https://x.example", "authentication": "httpBasicAuth"} %s}]}""";
    assertThat(validate(node.formatted("")).errors())
        .containsExactly(
            new FieldError(
                "/nodes/0/credentials/httpBasicAuth",
                "a credential of type httpBasicAuth is required because authentication is httpBasicAuth",
                "call"));
    assertThat(
            validate(
                    node.formatted(
                        ", \"credentials\": {\"httpBasicAuth\":"
                            + " {\"id\": \"9b2d8a7e-1c3f-4e5a-8b6c-7d8e9f0a1b2c\"}}"))
                .errors())
        .isEmpty();
    assertThat(
            validate(
                    node.formatted(
                        ", \"credentials\": {\"httpBasicAuth\":"
                            + " {\"id\": \"9b2d8a7e-1c3f-4e5a-8b6c-7d8e9f0a1b2c\"},"
                            + " \"smtp\": {\"id\": \"9b2d8a7e-1c3f-4e5a-8b6c-7d8e9f0a1b2c\"}}"))
                .errors())
        .extracting(FieldError::pointer)
        .containsExactly("/nodes/0/credentials/smtp");
  }

  @Test
  void twoWebhookNodesOfOneWorkflowCannotShareAPath() throws Exception {
    String second = WEBHOOK.replace("\"hook\"", "\"hook2\"").replace("\"Webhook\"", "\"Hook 2\"");
    assertThat(
            validate("{\"name\": \"x\", \"nodes\": [%s, %s]}".formatted(WEBHOOK, second)).errors())
        .extracting(FieldError::pointer, FieldError::nodeId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("/nodes/1/parameters/path", "hook2"));
  }

  @Test
  void settingsAreChecked() throws Exception {
    assertThat(
            validate(
                    """
                    {"name": "x", "settings": {"timezone": "Mars/Olympus", "executionTimeoutSeconds": 0,
                      "saveExecutionData": "some", "concurrencyLimit": 0, "errorWorkflowId": "nope"}}""")
                .errors())
        .extracting(FieldError::pointer)
        .containsExactlyInAnyOrder(
            "/settings/timezone",
            "/settings/executionTimeoutSeconds",
            "/settings/saveExecutionData",
            "/settings/concurrencyLimit",
            "/settings/errorWorkflowId");
  }

  @Test
  void onlyAWorkflowWithAStartingTriggerCanBeActivated() throws Exception {
    var manual =
        validate(
                """
                {"name": "x", "nodes": [{"id": "m", "name": "M", "type": "linkflow.manualTrigger"}]}""")
            .definition();
    assertThat(WorkflowValidator.activationErrors(manual)).hasSize(1);
    var webhook = validate("{\"name\": \"x\", \"nodes\": [%s]}".formatted(WEBHOOK)).definition();
    assertThat(WorkflowValidator.activationErrors(webhook)).isEmpty();
    assertThat(WorkflowValidator.webhookClaims(webhook)).containsOnlyKeys("POST orders");
  }

  @Test
  void aNameIsRequired() throws Exception {
    assertThat(validate("{\"nodes\": []}").errors())
        .containsExactly(new FieldError("/name", "required"));
  }

  private WorkflowValidator.Result validate(String json) throws Exception {
    return validator.validate(MAPPER.readValue(json, WorkflowInput.class));
  }
}
