package io.linkflow.localstack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code tail -F} of .linkflow/logs/*.log with a per-file prefix, until interrupted. */
final class LogTail {

  private final Path dir;
  private final String only;
  private final Map<Path, Long> positions = new LinkedHashMap<>();

  LogTail(Path dir, String only) {
    this.dir = dir;
    this.only = only;
  }

  void follow() throws IOException, InterruptedException {
    boolean first = true;
    while (true) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.log")) {
        for (Path file : files) {
          String name = file.getFileName().toString().replaceFirst("\\.log$", "");
          if (only != null && !name.equals(only) && !name.equals(only + "-service")) {
            continue;
          }
          if (!positions.containsKey(file)) {
            // Start near the end for files present at start-up, at the beginning for new ones.
            positions.put(file, first ? Math.max(0, Files.size(file) - 2000) : 0L);
          }
          positions.put(file, print(file, name, positions.get(file)));
        }
      }
      if (first && positions.isEmpty()) {
        System.out.println("(no logs yet under " + dir + "; waiting)");
      }
      first = false;
      System.out.flush();
      Thread.sleep(300);
    }
  }

  private static long print(Path file, String name, long position) throws IOException {
    long size = Files.size(file);
    if (size < position) {
      position = 0; // truncated or replaced
    }
    if (size == position) {
      return position;
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      raf.seek(position);
      byte[] bytes = new byte[(int) Math.min(size - position, 1 << 20)];
      raf.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8);
      int lastNewline = text.lastIndexOf('\n');
      if (lastNewline < 0) {
        return position; // wait for a complete line
      }
      String prefix = String.format("%-22s| ", name);
      for (String line : text.substring(0, lastNewline).split("\n", -1)) {
        System.out.println(prefix + line);
      }
      return position + text.substring(0, lastNewline + 1).getBytes(StandardCharsets.UTF_8).length;
    }
  }
}
