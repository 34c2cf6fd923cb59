package io.linkflow.user.persistence;

import io.linkflow.common.error.ProblemException;
import io.linkflow.common.paging.Cursor;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * Reads the typed keys out of a {@link Cursor}: a cursor that decodes but does not hold what this
 * service put in it (a forged one) is a 400, like any cursor this API did not issue.
 */
public final class Keyset {

  private Keyset() {}

  /** The sort key as a timestamp, for lists ordered by a creation time. */
  public static OffsetDateTime time(Cursor cursor) {
    try {
      return Instant.parse(cursor.sortKey()).atOffset(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw forged();
    }
  }

  /** The id of the cursor's last item. */
  public static UUID id(Cursor cursor) {
    try {
      return UUID.fromString(cursor.id());
    } catch (IllegalArgumentException e) {
      throw forged();
    }
  }

  private static ProblemException forged() {
    return new ProblemException(400, "The cursor is not one this API issued.");
  }
}
