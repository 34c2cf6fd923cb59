package io.linkflow.common.http;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/** The request id of the current request: accepted from {@code X-Request-ID} or generated. */
public final class RequestIds {

  /** The header carrying the request id, in and out. */
  public static final String HEADER = "X-Request-ID";

  /** The MDC key (and JSON log field) holding the request id. */
  public static final String MDC_KEY = "request_id";

  /** Printable, header-safe, and short enough to log: anything else is replaced. */
  private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

  private RequestIds() {}

  /** The id to use for a request that arrived with {@code incoming} (may be null). */
  public static String acceptOrGenerate(String incoming) {
    if (incoming != null && ACCEPTABLE.matcher(incoming).matches()) {
      return incoming;
    }
    return UUID.randomUUID().toString();
  }

  /** The current request's id, when called within a request. */
  public static Optional<String> current() {
    Object value = MDC.get(MDC_KEY);
    return value == null ? Optional.empty() : Optional.of(value.toString());
  }
}
