package io.linkflow.executor.run;

import java.time.Instant;
import java.util.Map;

/**
 * What the executor's own handlers need beyond the {@code NodeRun}: the workspace and execution (to
 * read credentials), the node's credentials by type, the run's deadline and its {@link RunControl}.
 * Set on the worker thread for the duration of one run ({@link #current()}).
 *
 * @param credentials credential type → credential id, as saved on the node
 */
public record RunContext(
    String workspaceId,
    String executionId,
    Map<String, String> credentials,
    Instant deadline,
    RunControl control) {

  private static final ThreadLocal<RunContext> CURRENT = new ThreadLocal<>();

  /** The run on this thread. */
  public static RunContext current() {
    RunContext context = CURRENT.get();
    if (context == null) {
      throw new IllegalStateException("no node run on this thread");
    }
    return context;
  }

  /** Milliseconds left until the deadline (at least 1). */
  public long remainingMillis() {
    return Math.max(1, deadline.toEpochMilli() - System.currentTimeMillis());
  }

  static void set(RunContext context) {
    CURRENT.set(context);
  }

  static void clear() {
    CURRENT.remove();
  }
}
