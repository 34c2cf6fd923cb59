package io.linkflow.user.persistence;

import io.vertx.pgclient.PgException;

/** Recognises the PostgreSQL errors this service turns into client errors (409, 404). */
public final class PgErrors {

  private PgErrors() {}

  /** A unique index refused the row; {@code constraint} names the index, or null for any. */
  public static boolean uniqueViolation(Throwable e, String constraint) {
    return violation(e, "23505", constraint);
  }

  /** A foreign key refused the row; {@code constraint} names it, or null for any. */
  public static boolean foreignKeyViolation(Throwable e, String constraint) {
    return violation(e, "23503", constraint);
  }

  private static boolean violation(Throwable e, String sqlState, String constraint) {
    return e instanceof PgException pg
        && sqlState.equals(pg.getSqlState())
        && (constraint == null || constraint.equals(pg.getConstraint()));
  }
}
