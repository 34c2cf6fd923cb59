package io.linkflow.executor;

import java.util.Locale;

/** Byte counts as people read them: 900 bytes, 512 KiB, 1.4 MiB. */
public final class Sizes {

  private Sizes() {}

  public static String bytes(long n) {
    if (n >= 1024 * 1024) {
      return decimal(n / (1024.0 * 1024)) + " MiB";
    }
    if (n >= 1024) {
      return decimal(n / 1024.0) + " KiB";
    }
    return n + " bytes";
  }

  private static String decimal(double d) {
    double rounded = Math.round(d * 10) / 10.0;
    return rounded == Math.rint(rounded)
        ? String.valueOf((long) rounded)
        : String.format(Locale.ROOT, "%.1f", rounded);
  }
}
