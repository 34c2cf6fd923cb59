package io.linkflow.common.paging;

import io.linkflow.common.error.ProblemException;
import java.util.Optional;

/**
 * A validated page request: at most {@link #MAX_LIMIT} items after an optional cursor.
 *
 * @param limit how many items to return
 * @param after the cursor of the previous page's last item, empty for the first page
 */
public record PageRequest(int limit, Optional<Cursor> after) {

  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;

  /** From the raw {@code limit} and {@code cursor} query parameters; bad values are a 400. */
  public static PageRequest of(Integer limit, String cursor) {
    int size = limit == null ? DEFAULT_LIMIT : limit;
    if (size < 1 || size > MAX_LIMIT) {
      throw new ProblemException(400, "limit must be between 1 and " + MAX_LIMIT + ".");
    }
    Optional<Cursor> after =
        cursor == null || cursor.isBlank() ? Optional.empty() : Optional.of(Cursor.decode(cursor));
    return new PageRequest(size, after);
  }

  /** Rows to fetch: one more than the limit, to know whether a next page exists. */
  public int fetchSize() {
    return limit + 1;
  }
}
