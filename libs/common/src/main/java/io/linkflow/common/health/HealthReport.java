package io.linkflow.common.health;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Duration;
import java.util.Map;

/**
 * The health document of the operations guide: {@code {"status":"healthy","checks":{"database":
 * "ok"},"version":"1.0.0","uptime":"72h15m"}}.
 */
@JsonPropertyOrder({"status", "checks", "version", "uptime"})
public record HealthReport(
    String status, Map<String, String> checks, String version, String uptime) {

  public static final String HEALTHY = "healthy";
  public static final String UNHEALTHY = "unhealthy";
  public static final String OK = "ok";

  public boolean healthy() {
    return HEALTHY.equals(status);
  }

  /** Formats an uptime as the guide does: hours and minutes, e.g. {@code 72h15m}. */
  public static String formatUptime(Duration uptime) {
    return uptime.toHours() + "h" + uptime.toMinutesPart() + "m";
  }
}
