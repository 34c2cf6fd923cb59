package io.linkflow.nodes.timing;

/**
 * A schedule's timing that cannot be used: a cron expression that does not parse or never fires, an
 * interval out of range, an unknown time zone, or both or neither of cron and interval.
 */
public class InvalidTimingException extends IllegalArgumentException {

  private final String field;

  /**
   * @param field what is wrong: {@code cron}, {@code intervalSeconds} or {@code timezone}; empty
   *     when the combination is (both or neither of cron and interval)
   * @param message a sentence for the person who wrote it
   */
  public InvalidTimingException(String field, String message) {
    super(message);
    this.field = field;
  }

  /** The field at fault ({@code cron}, {@code intervalSeconds}, {@code timezone}) or empty. */
  public String field() {
    return field;
  }
}
