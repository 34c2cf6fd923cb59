package io.linkflow.common;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.NoArgGenerator;
import java.util.UUID;

/**
 * Identifiers of new rows and events: UUID version 7 (RFC 9562), a millisecond timestamp followed
 * by random bits, monotonic within a JVM. Ids made one after another sort one after another, so the
 * B-tree indexes on them (executions, node runs, outbox events) grow at their right edge: an insert
 * touches the same few hot pages instead of a random page of a large index, which keeps those pages
 * cached and, after each checkpoint, costs PostgreSQL one full-page image per hot page instead of
 * one per insert. Random version-4 ids stay where an id must not be guessable or reveal when it was
 * made (tokens, secrets, sessions).
 */
public final class Ids {

  private static final NoArgGenerator TIME_ORDERED = Generators.timeBasedEpochGenerator();

  private Ids() {}

  /** A new time-ordered (version 7) id. Thread-safe. */
  public static UUID newId() {
    return TIME_ORDERED.generate();
  }
}
