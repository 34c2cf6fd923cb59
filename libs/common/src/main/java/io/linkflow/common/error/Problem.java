package io.linkflow.common.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every LinkFlow error response.
 *
 * @param type a URI naming the problem type ({@code about:blank} when the status says it all)
 * @param title short, human-readable summary of the problem type
 * @param status the HTTP status code
 * @param detail explanation specific to this occurrence
 * @param instance the request path the problem occurred on
 * @param requestId the request id, so a user can quote it to an operator
 * @param errors field-level errors, one per invalid input
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    String requestId,
    List<FieldError> errors) {

  /** Media type of problem documents. */
  public static final String MEDIA_TYPE = "application/problem+json";

  /**
   * One invalid input: where it is ({@code pointer}, e.g. a JSON pointer), what is wrong, and for
   * errors in a workflow the id of the node concerned.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record FieldError(String pointer, String message, String nodeId) {

    public FieldError(String pointer, String message) {
      this(pointer, message, null);
    }
  }

  /** A problem of type {@code about:blank} whose title is the status' reason phrase. */
  public static Problem of(int status, String detail) {
    return new Problem("about:blank", reason(status), status, detail, null, null, null);
  }

  public Problem withInstance(String path, String id) {
    return new Problem(type, title, status, detail, path, id, errors);
  }

  public Problem withErrors(List<FieldError> fieldErrors) {
    return new Problem(type, title, status, detail, instance, requestId, fieldErrors);
  }

  /** A JAX-RS response carrying this problem with the problem+json media type. */
  public Response toResponse() {
    return Response.status(status).type(MediaType.valueOf(MEDIA_TYPE)).entity(this).build();
  }

  static String reason(int status) {
    Response.Status known = Response.Status.fromStatusCode(status);
    if (known != null) {
      return known.getReasonPhrase();
    }
    return switch (status) {
      case 422 -> "Unprocessable Content";
      case 429 -> "Too Many Requests";
      default -> status >= 500 ? "Server Error" : "Client Error";
    };
  }
}
