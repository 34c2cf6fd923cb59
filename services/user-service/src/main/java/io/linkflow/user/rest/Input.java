package io.linkflow.user.rest;

import io.linkflow.common.error.Problem;
import io.linkflow.common.error.ProblemException;
import io.linkflow.security.Roles;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks the fields of one request body and collects every problem, so a 400 lists them all with
 * JSON pointers; nothing is written before a body has passed.
 */
final class Input {

  /** A pragmatic address check (as auth-service's): something@domain.tld, no spaces. */
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}$");

  private static final int MAX_EMAIL = 254;

  private final List<Problem.FieldError> errors = new ArrayList<>();

  private Input() {}

  static Input check() {
    return new Input();
  }

  /** 400 when the request has no JSON body at all. */
  static <T> T body(T body) {
    return ProblemException.requireBody(body);
  }

  /** A required single-line text: trimmed, 1 to {@code max} characters. */
  String text(String field, String value, int max) {
    if (value == null || value.isBlank()) {
      return error(field, "required");
    }
    return bounded(field, value.trim(), max);
  }

  /** An optional single-line text: null stays null, blank becomes empty, else as {@link #text}. */
  String optionalText(String field, String value, int max) {
    if (value == null) {
      return null;
    }
    return value.isBlank() ? "" : bounded(field, value.trim(), max);
  }

  String email(String field, String value) {
    if (value == null || value.isBlank()) {
      return error(field, "required");
    }
    String email = value.trim();
    if (email.length() > MAX_EMAIL || !EMAIL.matcher(email).matches()) {
      return error(field, "not a valid e-mail address");
    }
    return email;
  }

  String role(String field, String value) {
    if (value == null || value.isBlank()) {
      return error(field, "required");
    }
    if (!Roles.isRole(value)) {
      return error(field, "must be one of " + String.join(", ", Roles.ORDER));
    }
    return value;
  }

  /** A required opaque secret, as given. */
  String secret(String field, String value) {
    if (value == null || value.isBlank()) {
      return error(field, "required");
    }
    return value.trim();
  }

  /** Records a problem that is not about one field's format. */
  void reject(String field, String message) {
    error(field, message);
  }

  /** Throws the 400 listing every problem found, if any. */
  void orFail() {
    if (!errors.isEmpty()) {
      String fields =
          String.join(", ", errors.stream().map(e -> e.pointer().substring(1)).toList());
      throw new ProblemException(
          Problem.of(400, "Invalid request fields: " + fields + ".").withErrors(errors));
    }
  }

  private String bounded(String field, String trimmed, int max) {
    int length = trimmed.codePointCount(0, trimmed.length());
    if (length > max) {
      return error(field, "at most " + max + " characters");
    }
    if (trimmed.chars().anyMatch(Character::isISOControl)) {
      return error(field, "must not contain control characters such as line breaks");
    }
    return trimmed;
  }

  private String error(String field, String message) {
    errors.add(new Problem.FieldError("/" + field, message));
    return null;
  }
}
