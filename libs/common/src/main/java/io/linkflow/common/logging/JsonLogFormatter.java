package io.linkflow.common.logging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import org.jboss.logmanager.ExtFormatter;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Formats a log record as one flat JSON object with the operations guide's fields: {@code time,
 * level, service, version, logger, message}, then every MDC entry at the top level ({@code
 * request_id, trace_id, span_id, user_id, workspace_id, method, path, status, duration_ms, bytes}),
 * then {@code exception} when there is one.
 */
public class JsonLogFormatter extends ExtFormatter {

  /** MDC keys written as JSON numbers. */
  private static final Set<String> NUMERIC = Set.of("status", "duration_ms", "bytes");

  /** OpenTelemetry's MDC keys, renamed to the guide's snake case. */
  private static final Map<String, String> RENAMED =
      Map.of("traceId", "trace_id", "spanId", "span_id", "parentId", "parent_span_id");

  /** OpenTelemetry MDC keys that add nothing to a log line. */
  private static final Set<String> DROPPED = Set.of("sampled");

  private static final JsonFactory JSON = new JsonFactory();

  private final String service;
  private final String version;

  public JsonLogFormatter(String service, String version) {
    this.service = service;
    this.version = version;
  }

  @Override
  public String format(ExtLogRecord record) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField(
          "time", DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(record.getMillis())));
      json.writeStringField("level", record.getLevel().getName());
      json.writeStringField("service", service);
      json.writeStringField("version", version);
      json.writeStringField("logger", record.getLoggerName());
      json.writeStringField("message", formatMessage(record));
      json.writeStringField("thread", record.getThreadName());
      for (Map.Entry<String, String> entry : record.getMdcCopy().entrySet()) {
        writeMdc(json, entry.getKey(), entry.getValue());
      }
      if (record.getThrown() != null) {
        StringWriter trace = new StringWriter();
        record.getThrown().printStackTrace(new PrintWriter(trace));
        json.writeStringField("exception", trace.toString());
      }
      json.writeEndObject();
    } catch (IOException e) {
      return "{\"level\":\"ERROR\",\"message\":\"log formatting failed\"}" + System.lineSeparator();
    }
    return out.append(System.lineSeparator()).toString();
  }

  private static void writeMdc(JsonGenerator json, String key, String value) throws IOException {
    if (value == null || DROPPED.contains(key)) {
      return;
    }
    String name = RENAMED.getOrDefault(key, key);
    if (NUMERIC.contains(name)) {
      try {
        json.writeFieldName(name);
        json.writeNumber(new java.math.BigDecimal(value));
        return;
      } catch (NumberFormatException notANumber) {
        json.writeString(value);
        return;
      }
    }
    json.writeStringField(name, value);
  }
}
