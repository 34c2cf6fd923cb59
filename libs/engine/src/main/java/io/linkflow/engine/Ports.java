package io.linkflow.engine;

/** Port names used by the built-in nodes. */
public final class Ports {
  public static final String MAIN = "main";

  private Ports() {}
}
