package io.linkflow.executor.nodes;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the code printed (console.log, print; stdout and stderr): the first lines, each cut to a
 * bound, the rest counted. Never written to the executor's log.
 */
final class ConsoleCapture extends OutputStream {

  private static final int MAX_LINE_CHARS = 1000;

  private final int maxLines;
  private final List<String> lines = new ArrayList<>();
  private final ByteArrayOutputStream current = new ByteArrayOutputStream();
  private int dropped;

  ConsoleCapture(int maxLines) {
    this.maxLines = maxLines;
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      endLine();
    } else if (current.size() < MAX_LINE_CHARS * 4) {
      current.write(b);
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      write(b[i]);
    }
  }

  private void endLine() {
    if (lines.size() < maxLines) {
      String line = current.toString(StandardCharsets.UTF_8);
      lines.add(line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + "…" : line);
    } else {
      dropped++;
    }
    current.reset();
  }

  synchronized List<String> lines() {
    if (current.size() > 0) {
      endLine();
    }
    return List.copyOf(lines);
  }

  synchronized int dropped() {
    return dropped;
  }
}
