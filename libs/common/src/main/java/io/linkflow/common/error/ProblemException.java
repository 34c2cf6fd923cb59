package io.linkflow.common.error;

import java.util.List;

/**
 * Thrown by services to answer with a specific problem; rendered by {@link
 * ProblemExceptionMappers}.
 */
public class ProblemException extends RuntimeException {

  private final transient Problem problem;

  public ProblemException(int status, String detail) {
    this(Problem.of(status, detail));
  }

  public ProblemException(Problem problem) {
    super(problem.detail());
    this.problem = problem;
  }

  /** A 422 with one entry per invalid field. */
  public static ProblemException validation(String detail, List<Problem.FieldError> errors) {
    return new ProblemException(Problem.of(422, detail).withErrors(errors));
  }

  public Problem problem() {
    return problem;
  }
}
