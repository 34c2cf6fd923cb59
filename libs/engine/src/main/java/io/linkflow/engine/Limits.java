package io.linkflow.engine;

/**
 * Bounds on what one node run may output, enforced by {@link NodeRunner}.
 *
 * @param maxItemsPerOutput items on one output port
 * @param maxItemBytes one item serialized as JSON (UTF-8)
 */
public record Limits(int maxItemsPerOutput, long maxItemBytes) {

  public static final int DEFAULT_MAX_ITEMS_PER_OUTPUT = 10_000;
  public static final long DEFAULT_MAX_ITEM_BYTES = 1024 * 1024;

  public Limits {
    if (maxItemsPerOutput < 1 || maxItemBytes < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }

  public static Limits defaults() {
    return new Limits(DEFAULT_MAX_ITEMS_PER_OUTPUT, DEFAULT_MAX_ITEM_BYTES);
  }
}
