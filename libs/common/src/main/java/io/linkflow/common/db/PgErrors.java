package io.linkflow.common.db;

import io.vertx.pgclient.PgException;

/** Recognises the PostgreSQL errors services turn into client errors (409, 404). */
public final class PgErrors {

  private PgErrors() {}

  /** A unique index refused the row; {@code constraint} names the index, or null for any. */
  public static boolean uniqueViolation(Throwable e, String constraint) {
    return violation(e, "23505", constraint);
  }

  /** Any unique index refused the row. */
  public static boolean uniqueViolation(Throwable e) {
    return violation(e, "23505", null);
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
