package io.linkflow.events.outbox;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Tells this process's {@link OutboxRelay} that a transaction with outbox events committed, so it
 * relays at once rather than at its next poll. Only a hint: the poll still finds everything.
 */
final class OutboxSignal {

  private static final CopyOnWriteArrayList<Runnable> LISTENERS = new CopyOnWriteArrayList<>();

  private OutboxSignal() {}

  static void listen(Runnable listener) {
    LISTENERS.add(listener);
  }

  static void committed() {
    for (Runnable listener : LISTENERS) {
      listener.run();
    }
  }
}
