package io.linkflow.common.paging;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list response: the items and the cursor of the next page ({@code null} on the
 * last).
 */
public record Page<T>(List<T> items, String nextCursor) {

  /**
   * Builds a page from rows fetched with {@link PageRequest#fetchSize()}: the extra row, if any,
   * only proves there is a next page and is not returned.
   */
  public static <T> Page<T> of(List<T> rows, PageRequest request, Function<T, Cursor> cursorOf) {
    if (rows.size() <= request.limit()) {
      return new Page<>(List.copyOf(rows), null);
    }
    List<T> items = List.copyOf(rows.subList(0, request.limit()));
    return new Page<>(items, cursorOf.apply(items.get(items.size() - 1)).encode());
  }
}
