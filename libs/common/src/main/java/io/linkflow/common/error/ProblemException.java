package io.linkflow.common.error;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Thrown by services to answer with a specific problem; rendered by {@link
 * ProblemExceptionMappers}.
 */
public class ProblemException extends RuntimeException {

  private final transient Problem problem;
  private final Map<String, String> headers = new LinkedHashMap<>();

  public ProblemException(int status, String detail) {
    this(Problem.of(status, detail));
  }

  public ProblemException(Problem problem) {
    super(problem.detail());
    this.problem = problem;
  }

  /** {@code body}, or 400 problem+json when the request had no JSON body at all. */
  public static <T> T requireBody(T body) {
    if (body == null) {
      throw new ProblemException(400, "A JSON body is required.");
    }
    return body;
  }

  public Problem problem() {
    return problem;
  }

  /** Adds a response header, e.g. {@code Retry-After} on a 429. */
  public ProblemException withHeader(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public Map<String, String> headers() {
    return Map.copyOf(headers);
  }
}
