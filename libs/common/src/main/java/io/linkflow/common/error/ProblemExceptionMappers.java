package io.linkflow.common.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.linkflow.common.http.RequestIds;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps every exception that reaches the REST layer to an RFC 9457 problem document: LinkFlow's own
 * {@link ProblemException}, JAX-RS errors (404, 405, 406, 415, …), unreadable JSON (400) and
 * anything unexpected (500, logged, without internals in the body).
 */
public class ProblemExceptionMappers {

  private static final Logger LOG = Logger.getLogger(ProblemExceptionMappers.class);

  @ServerExceptionMapper
  public Response problem(ProblemException e, HttpServerRequest request) {
    Response response = respond(e.problem(), request);
    e.headers().forEach((name, value) -> response.getHeaders().putSingle(name, value));
    return response;
  }

  @ServerExceptionMapper
  public Response webApplication(WebApplicationException e, HttpServerRequest request) {
    int status = e.getResponse().getStatus();
    Throwable cause = e.getCause();
    if (status == 400 && cause instanceof JsonProcessingException json) {
      return unreadableJson(json, request);
    }
    Response response = respond(Problem.of(status, detailFor(status, e)), request);
    Object allow = e.getResponse().getHeaders().getFirst("Allow");
    if (allow != null) {
      response.getHeaders().putSingle("Allow", allow);
    }
    return response;
  }

  @ServerExceptionMapper
  public Response json(JsonProcessingException e, HttpServerRequest request) {
    return unreadableJson(e, request);
  }

  /** More specific than Quarkus' built-in mapper for this type, which answers plain JSON. */
  @ServerExceptionMapper
  public Response mismatchedInput(MismatchedInputException e, HttpServerRequest request) {
    return unreadableJson(e, request);
  }

  @ServerExceptionMapper
  public Response unexpected(Exception e, HttpServerRequest request) {
    LOG.errorf(e, "Unhandled error on %s %s", request.method(), request.path());
    return respond(
        Problem.of(500, "An unexpected error occurred; quote the request id when reporting it."),
        request);
  }

  private Response unreadableJson(JsonProcessingException e, HttpServerRequest request) {
    Problem problem;
    if (e instanceof UnrecognizedPropertyException unknown) {
      problem =
          Problem.of(400, "Unknown field '" + unknown.getPropertyName() + "'.")
              .withErrors(
                  List.of(
                      new Problem.FieldError(
                          pointer(unknown), "unknown field '" + unknown.getPropertyName() + "'")));
    } else if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      problem =
          Problem.of(400, "The request body has a value of the wrong type.")
              .withErrors(
                  List.of(new Problem.FieldError(pointer(mapping), e.getOriginalMessage())));
    } else {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      problem = Problem.of(400, "The request body is not valid JSON" + where + ".");
    }
    return respond(problem, request);
  }

  private static String pointer(JsonMappingException e) {
    return "/"
        + e.getPath().stream()
            .map(r -> r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()))
            .collect(Collectors.joining("/"));
  }

  private static String detailFor(int status, WebApplicationException e) {
    return switch (status) {
      case 404 -> "The requested resource does not exist.";
      case 405 -> "This method is not allowed on this resource.";
      case 406 -> "The resource cannot produce any of the accepted media types.";
      case 415 -> "The request's Content-Type is not supported by this resource.";
      default -> e.getMessage() == null ? Problem.reason(status) : e.getMessage();
    };
  }

  private static Response respond(Problem problem, HttpServerRequest request) {
    return problem.withInstance(request.path(), RequestIds.current().orElse(null)).toResponse();
  }
}
