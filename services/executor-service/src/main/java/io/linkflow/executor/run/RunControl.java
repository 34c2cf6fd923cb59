package io.linkflow.executor.run;

import io.linkflow.engine.wire.NodeOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * One node run in this executor: who answers first — the node itself, the deadline watchdog or an
 * abort — decides the outcome ({@link #answer()} completes once). Stopping runs the cancel hooks
 * the node's handler registered (close the JavaScript context, reset the HTTP request) and
 * interrupts its thread.
 */
public final class RunControl {

  private static final Logger LOG = Logger.getLogger(RunControl.class);

  private final UUID nodeRunId;
  private final CompletableFuture<NodeOutcome> answer = new CompletableFuture<>();
  private final List<Runnable> cancelHooks = new ArrayList<>();
  private volatile String stoppedKind;
  private volatile String failureKind;
  private Thread thread;

  public RunControl(UUID nodeRunId) {
    this.nodeRunId = nodeRunId;
  }

  public UUID nodeRunId() {
    return nodeRunId;
  }

  /** Completes once, with the first outcome given. */
  public CompletableFuture<NodeOutcome> answer() {
    return answer;
  }

  /** Answers with the node's own outcome unless the run was stopped first. */
  public boolean complete(NodeOutcome outcome) {
    return answer.complete(outcome);
  }

  /**
   * Stops the run: answers {@code outcome} (if nothing answered yet), runs the cancel hooks and
   * interrupts the running thread. Returns false if the run had already answered.
   */
  public boolean stop(NodeOutcome outcome) {
    if (!answer.complete(outcome)) {
      return false;
    }
    stoppedKind = outcome.error() == null ? null : outcome.error().kind();
    List<Runnable> hooks;
    synchronized (this) {
      hooks = List.copyOf(cancelHooks);
      cancelHooks.clear();
    }
    for (Runnable hook : hooks) {
      try {
        hook.run();
      } catch (RuntimeException e) {
        LOG.debugf("Cancel hook of node run %s failed: %s", nodeRunId, e);
      }
    }
    synchronized (this) {
      if (thread != null) {
        thread.interrupt(); // under the lock: never reaches a thread that has left this run
      }
    }
    return true;
  }

  /**
   * Marks the failure the node is about to throw as being of another kind than {@code node}, e.g.
   * {@code timeout} for an HTTP request that did not answer within its {@code timeoutMs}, or {@code
   * limit} for a Code node past its memory bound.
   */
  public void failAs(String kind) {
    failureKind = kind;
  }

  /** The kind set by {@link #failAs(String)}, or null. */
  public String failureKind() {
    return failureKind;
  }

  /**
   * Whether the watchdog or an abort stopped the run; its kind ({@code timeout}, {@code aborted}).
   */
  public String stoppedKind() {
    return stoppedKind;
  }

  public boolean stopped() {
    return stoppedKind != null || answer.isDone();
  }

  /**
   * Registers what to do to stop the node's current work; runs it at once if the run is already
   * stopped. Returns a handle that unregisters it.
   */
  public Runnable onStop(Runnable hook) {
    boolean now;
    synchronized (this) {
      now = answer.isDone();
      if (!now) {
        cancelHooks.add(hook);
      }
    }
    if (now) {
      hook.run();
    }
    return () -> {
      synchronized (this) {
        cancelHooks.remove(hook);
      }
    };
  }

  synchronized void enter(Thread current) {
    thread = current;
  }

  synchronized void leave() {
    thread = null;
    cancelHooks.clear();
    Thread.interrupted(); // an interrupt meant for this run must not reach the next one
  }
}
