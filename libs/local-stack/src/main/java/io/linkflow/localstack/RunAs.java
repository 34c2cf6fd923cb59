package io.linkflow.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * PostgreSQL will not run as root. When the launcher runs as root, its commands are prefixed with
 * {@code setpriv} to run as the unprivileged user {@code nobody} (override: LINKFLOW_PG_OS_USER).
 */
final class RunAs {

  private RunAs() {}

  static List<String> prefix() {
    if (!Procs.runningAsRoot()) {
      return List.of();
    }
    return List.of(
        "setpriv",
        "--reuid=" + uid(),
        "--regid=" + gid(),
        "--clear-groups",
        "--inh-caps=-all",
        "--");
  }

  static String uid() {
    return passwdField(2, "65534");
  }

  static String gid() {
    return passwdField(3, "65534");
  }

  private static String passwdField(int index, String fallback) {
    String user = Home.env("LINKFLOW_PG_OS_USER", "nobody");
    try {
      for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
        String[] fields = line.split(":");
        if (fields.length > 3 && fields[0].equals(user)) {
          return fields[index];
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return fallback;
  }
}
