package io.linkflow.common.tracing;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * One setting turns tracing on: when {@code linkflow.tracing.otlp-endpoint} (env {@code
 * LINKFLOW_TRACING_OTLP_ENDPOINT}) is set, the OpenTelemetry SDK is enabled and exports there; when
 * it is unset, the SDK stays off and nothing tries to reach a collector. Explicit {@code
 * quarkus.otel.*} settings still win: this source sits below application.properties.
 */
public class TracingConfigSourceFactory implements ConfigSourceFactory {

  static final String ENDPOINT = "linkflow.tracing.otlp-endpoint";
  private static final int ORDINAL = 200;

  @Override
  public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
    ConfigValue endpoint = context.getValue(ENDPOINT);
    Map<String, String> values;
    if (endpoint == null || endpoint.getValue() == null || endpoint.getValue().isBlank()) {
      values = Map.of("quarkus.otel.sdk.disabled", "true");
    } else {
      values =
          Map.of(
              "quarkus.otel.sdk.disabled",
              "false",
              "quarkus.otel.exporter.otlp.traces.endpoint",
              endpoint.getValue().trim());
    }
    return List.of(new PropertiesConfigSource(values, "linkflow-tracing", ORDINAL));
  }

  @Override
  public java.util.OptionalInt getPriority() {
    return java.util.OptionalInt.of(ORDINAL);
  }
}
