package io.linkflow.engine;

import static io.linkflow.engine.Fixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Set, Sort, Limit, Crypto, Date &amp; Time. */
class DataNodesTest {

  @Test
  void setWritesANumberFromAnExpression() {
    NodeResult r =
        exec(
            "linkflow.set",
            "{'fields': [{'name': 'double', 'type': 'number', 'value': '{{ $json.price * 2 }}'}]}",
            items("[{'price': 2.5}, {'price': 4}]"));
    assertThat(r.output("main"))
        .containsExactly(obj("{'price': 2.5, 'double': 5}"), obj("{'price': 4, 'double': 8}"));
    assertThat(r.output("main").get(0).get("double").isNumber()).isTrue();
  }

  @Test
  void setConvertsTypesAndWritesDottedNames() {
    NodeResult r =
        exec(
            "linkflow.set",
            "{'fields': ["
                + "{'name': 'customer.name', 'value': 'Ann {{ $json.last }}'},"
                + "{'name': 'qty', 'type': 'number', 'value': '12'},"
                + "{'name': 'paid', 'type': 'boolean', 'value': 'TRUE'},"
                + "{'name': 'tags', 'type': 'array', 'value': '[\\'a\\']'},"
                + "{'name': 'meta', 'type': 'object', 'value': {'k': 1}},"
                + "{'name': 'code', 'value': 7}],"
                + "'remove': ['last']}",
            items("[{'last': 'Lee', 'keep': 1}]"));
    assertThat(r.output("main").get(0))
        .isEqualTo(
            obj(
                "{'keep': 1, 'customer': {'name': 'Ann Lee'}, 'qty': 12, 'paid': true,"
                    + " 'tags': ['a'], 'meta': {'k': 1}, 'code': '7'}"));
  }

  @Test
  void setKeepOnlySetAndJsonMode() {
    assertThat(
            exec(
                    "linkflow.set",
                    "{'keepOnlySet': true, 'fields': [{'name': 'id', 'value': '{{ $json.id }}'}]}",
                    items("[{'id': 'a', 'secret': 'x'}]"))
                .output("main"))
        .containsExactly(obj("{'id': 'a'}"));
    ObjectNode params = obj("{'mode': 'json'}");
    params.put("json", "{\"total\": {{ $json.a + $json.b }}, \"a\": null}");
    NodeRun run =
        new NodeRun(
            "n1",
            "Set",
            "linkflow.set",
            1,
            params,
            java.util.Map.of("main", items("[{'a': 1, 'b': 2}]")),
            SCOPE,
            null);
    assertThat(RUNNER.run(run).output("main"))
        .containsExactly(obj("{'a': null, 'b': 2, 'total': 3}"));
  }

  @Test
  void setFailsNamingTheFieldThatDoesNotConvert() {
    assertThatThrownBy(
            () ->
                exec(
                    "linkflow.set",
                    "{'fields': [{'name': 'n', 'type': 'number', 'value': '{{ $json.x }}'}]}",
                    items("[{'x': 'abc'}]")))
        .isInstanceOf(NodeException.class)
        .hasMessage("parameter /fields/0/value: field \"n\": \"abc\" is not a number");
  }

  @Test
  void sortByTwoFields() {
    NodeResult r =
        exec(
            "linkflow.sort",
            "{'fields': [{'field': 'team'}, {'field': 'score', 'order': 'descending'}]}",
            items(
                "[{'team': 'b', 'score': 1, 'n': 1}, {'team': 'a', 'score': 2, 'n': 2},"
                    + " {'team': 'b', 'score': 10, 'n': 3}, {'team': 'a', 'score': 9, 'n': 4},"
                    + " {'score': 100, 'n': 5}]"));
    assertThat(field(r.output("main"), "n")).containsExactly("4", "2", "3", "1", "5");
  }

  @Test
  void sortComparesNumbersAsNumbersAndIsStable() {
    NodeResult r =
        exec(
            "linkflow.sort",
            "{'fields': [{'field': 'v.x'}]}",
            items(
                "[{'v': {'x': 10}, 'n': 1}, {'v': {'x': '9'}, 'n': 2}, {'v': {'x': 10}, 'n': 3},"
                    + " {'v': {'x': 1.5}, 'n': 4}]"));
    assertThat(field(r.output("main"), "n")).containsExactly("4", "2", "1", "3");
  }

  @Test
  void limitKeepsFirstOrLast() {
    List<ObjectNode> in = items("[{'n':1},{'n':2},{'n':3}]");
    assertThat(field(exec("linkflow.limit", "{'maxItems': 2}", in).output("main"), "n"))
        .containsExactly("1", "2");
    assertThat(
            field(
                exec("linkflow.limit", "{'maxItems': 2, 'keep': 'last'}", in).output("main"), "n"))
        .containsExactly("2", "3");
    assertThat(exec("linkflow.limit", "{'maxItems': 10}", in).output("main")).hasSize(3);
  }

  @Test
  void cryptoHashesMatchKnownVectors() {
    String p = "{'action': 'hash', 'algorithm': '%s', 'value': '{{ $json.s }}', 'encoding': '%s'}";
    List<ObjectNode> abc = items("[{'s': 'abc'}]");
    assertThat(hash(p.formatted("SHA-256", "hex"), abc))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(hash(p.formatted("SHA-256", "base64"), abc))
        .isEqualTo("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
    assertThat(hash(p.formatted("MD5", "hex"), abc)).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
    assertThat(hash(p.formatted("SHA-1", "hex"), abc))
        .isEqualTo("a9993e364706816aba3e25717850c26c9cd0d89d");
    assertThat(hash(p.formatted("SHA3-256", "hex"), abc))
        .isEqualTo("3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
  }

  @Test
  void cryptoHmacMatchesRfc4231() {
    assertThat(
            hash(
                "{'action': 'hmac', 'algorithm': 'SHA-256', 'secret': 'Jefe', 'value': '{{ $json.s }}'}",
                items("[{'s': 'what do ya want for nothing?'}]")))
        .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    assertThatThrownBy(() -> hash("{'action': 'hmac', 'value': 'x'}", items("[{}]")))
        .isInstanceOf(NodeException.class)
        .hasMessage("parameter /secret: a secret is required for hmac");
  }

  @Test
  void cryptoGeneratesIntoTheOutputField() {
    ObjectNode out =
        exec(
                "linkflow.crypto",
                "{'action': 'generate', 'generate': 'uuid', 'outputField': 'meta.id'}",
                items("[{'a': 1}]"))
            .output("main")
            .get(0);
    assertThat(out.at("/meta/id").asText()).matches("[0-9a-f-]{36}");
    assertThat(out.get("a").asInt()).isEqualTo(1);
    assertThat(hash("{'action': 'generate', 'generate': 'randomHex'}", items("[{}]")))
        .matches("[0-9a-f]{64}");
  }

  private static String hash(String params, List<ObjectNode> in) {
    return exec("linkflow.crypto", params, in).output("main").get(0).get("hash").asText();
  }

  @Test
  void dateTimeAddsCalendarDaysAcrossDaylightSavingInTheTimeZone() {
    assertThat(
            date(
                "{'operation': 'add', 'date': '{{ $json.d }}', 'amount': 1, 'unit': 'days',"
                    + " 'timezone': 'Europe/Paris'}",
                "2024-03-30T11:00:00Z"))
        .isEqualTo("2024-03-31T12:00:00+02:00");
    assertThat(
            date(
                "{'operation': 'subtract', 'date': '{{ $json.d }}', 'amount': 1.5, 'unit': 'hours'}",
                "2024-05-01T12:00:00Z"))
        .isEqualTo("2024-05-01T10:30:00Z");
  }

  @Test
  void dateTimeFormatsInTheTimeZone() {
    assertThat(
            date(
                "{'operation': 'format', 'date': '{{ $json.d }}', 'format': 'EEE d MMM yyyy HH:mm',"
                    + " 'timezone': 'America/New_York'}",
                "2024-05-01T12:30:00Z"))
        .isEqualTo("Wed 1 May 2024 08:30");
  }

  @Test
  void dateTimeUsesTheWorkflowTimeZoneWhenTheNodeSetsNone() {
    NodeRun run =
        run("linkflow.dateTime", "{'operation': 'now'}", items("[{}]"), ZoneId.of("Asia/Tokyo"));
    assertThat(RUNNER.run(run).output("main").get(0).get("date").asText())
        .isEqualTo("2024-05-01T21:30:00+09:00");
  }

  @Test
  void dateTimeDifferenceAndStartOf() {
    ObjectNode out =
        exec(
                "linkflow.dateTime",
                "{'operation': 'difference', 'date': '2024-01-31', 'endDate': '2024-03-01',"
                    + " 'unit': 'months', 'outputField': 'm'}",
                items("[{}]"))
            .output("main")
            .get(0);
    assertThat(out.get("m").asLong()).isEqualTo(1);
    assertThat(
            date(
                "{'operation': 'startOf', 'date': '{{ $json.d }}', 'unit': 'weeks',"
                    + " 'timezone': 'Europe/Paris'}",
                "2024-05-01T12:30:00Z"))
        .isEqualTo("2024-04-29T00:00:00+02:00");
  }

  @Test
  void dateTimeRejectsAnUnreadableDate() {
    assertThatThrownBy(() -> date("{'operation': 'format', 'date': '{{ $json.d }}'}", "yesterday"))
        .isInstanceOf(NodeException.class)
        .hasMessage("parameter /date: \"yesterday\" is not an ISO-8601 date or date-time");
  }

  private static String date(String params, String d) {
    return exec("linkflow.dateTime", params, List.of(obj("{}").put("d", d)))
        .output("main")
        .get(0)
        .get("date")
        .asText();
  }
}
