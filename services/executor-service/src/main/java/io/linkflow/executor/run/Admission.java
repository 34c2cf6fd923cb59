package io.linkflow.executor.run;

import io.smallrye.mutiny.Uni;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;

/**
 * Bounds the commands this executor holds (running plus waiting for a worker): {@link #acquire()}
 * completes at once while there is room, else when a run finishes. The consumer waits on it before
 * taking the next record, so Kafka is read only as fast as nodes finish.
 */
final class Admission {

  private final int capacity;
  private final Queue<CompletableFuture<Void>> waiting = new ArrayDeque<>();
  private int held;

  Admission(int capacity) {
    this.capacity = capacity;
  }

  Uni<Void> acquire() {
    CompletableFuture<Void> ticket = new CompletableFuture<>();
    synchronized (this) {
      if (held < capacity) {
        held++;
        ticket.complete(null);
      } else {
        waiting.add(ticket);
      }
    }
    return Uni.createFrom().completionStage(ticket);
  }

  void release() {
    CompletableFuture<Void> next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        held--;
      }
    }
    if (next != null) {
      next.complete(null); // the slot passes to the waiter
    }
  }

  synchronized int held() {
    return held;
  }
}
