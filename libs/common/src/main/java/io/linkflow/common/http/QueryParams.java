package io.linkflow.common.http;

import io.linkflow.common.error.Problem;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/**
 * Optional query parameters read the same way by every list endpoint: absent or blank is null, a
 * malformed value adds a {@link Problem.FieldError} named after the parameter (the caller answers
 * every error at once) and reads as null.
 */
public final class QueryParams {

  private QueryParams() {}

  /** {@code value} as a UUID, or null. */
  public static UUID uuid(String value, String name, List<Problem.FieldError> errors) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return UUID.fromString(value.strip());
    } catch (IllegalArgumentException e) {
      errors.add(new Problem.FieldError(name, "a UUID"));
      return null;
    }
  }

  /** {@code value} as an ISO-8601 instant, or null. */
  public static Instant instant(String value, String name, List<Problem.FieldError> errors) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value.strip());
    } catch (DateTimeParseException e) {
      errors.add(new Problem.FieldError(name, "an ISO-8601 instant, e.g. 2026-11-23T10:00:00Z"));
      return null;
    }
  }
}
