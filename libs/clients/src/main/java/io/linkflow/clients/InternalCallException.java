package io.linkflow.clients;

/**
 * A call to another service's internal endpoint failed. The message is written for the workflow
 * author who will read it on a failed node, names the service and never contains a secret.
 */
public final class InternalCallException extends RuntimeException {

  /** Why the call failed. */
  public enum Reason {
    /** The thing asked for does not exist in that workspace (404). */
    NOT_FOUND,
    /** It exists but cannot be used now (409: e.g. an OAuth2 credential needs reconnecting). */
    NOT_USABLE,
    /** The callee refused this service (401 after a fresh token, 403, 400). */
    REFUSED,
    /** The callee is down, failed (5xx) or did not answer in time: worth retrying. */
    UNAVAILABLE,
    /** The callee answered something this client does not understand. */
    INVALID_RESPONSE
  }

  private final Reason reason;
  private final int status;

  public InternalCallException(Reason reason, int status, String message) {
    super(message, null, false, false);
    this.reason = reason;
    this.status = status;
  }

  public Reason reason() {
    return reason;
  }

  /** The HTTP status the callee answered, or 0 when there was no answer. */
  public int status() {
    return status;
  }

  /** Whether trying again later may succeed (the callee was unavailable). */
  public boolean retryable() {
    return reason == Reason.UNAVAILABLE;
  }
}
