package io.linkflow.deploy.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup script of the CronJob (helm/linkflow/files/backup/pg-backup.sh) run for real: a
 * throwaway PostgreSQL (zonky binaries; version 15 so that any pg_dump from 15 on reads it) and a
 * throwaway S3 API (s3proxy with its filesystem backend, its own JVM), Debian's pg_dump,
 * pg_restore, psql and curl. Dump and upload as the CronJob does, then the documented restore:
 * list, fetch (checksums verified), restore into a new database, and compare with the original.
 */
class PostgresBackupScriptTest {

  static final Path SCRIPT = Observability.chartFile("files/backup/pg-backup.sh");
  static final String ACCESS_KEY = "backup-test";
  static final String SECRET_KEY = "backup-test-secret";
  static final String BUCKET = "linkflow-backups";

  static EmbeddedPostgres postgres;
  static Process s3proxy;
  static int s3Port;
  @TempDir static Path dir;

  @BeforeAll
  static void servers() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    Path s3 = Files.createDirectories(dir.resolve("s3"));
    Files.createDirectories(s3.resolve(BUCKET));
    s3Port = freePort();
    Path properties = dir.resolve("s3proxy.properties");
    Files.writeString(
        properties,
        String.join(
            "\n",
            "s3proxy.endpoint=http://127.0.0.1:" + s3Port,
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + ACCESS_KEY,
            "s3proxy.credential=" + SECRET_KEY,
            "jclouds.provider=filesystem",
            "jclouds.identity=" + ACCESS_KEY,
            "jclouds.credential=" + SECRET_KEY,
            "jclouds.filesystem.basedir=" + s3,
            ""));
    s3proxy =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                "org.gaul.s3proxy.Main",
                "--properties",
                properties.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("s3proxy.log").toFile())
            .start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!listening(s3Port)) {
      assertThat(s3proxy.isAlive())
          .as("s3proxy: " + Files.readString(dir.resolve("s3proxy.log")))
          .isTrue();
      assertThat(System.nanoTime()).as("s3proxy listening within 30 s").isLessThan(deadline);
      Thread.sleep(100);
    }
    try (Connection c = admin();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE linkflow_auth");
      s.execute("CREATE DATABASE linkflow_workflow");
    }
    try (Connection c = connect("linkflow_workflow");
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE workflow (id uuid PRIMARY KEY, name text NOT NULL, definition jsonb,"
              + " created_at timestamptz NOT NULL DEFAULT now())");
      s.execute("CREATE INDEX workflow_name ON workflow (name)");
      s.execute(
          "INSERT INTO workflow (id, name, definition) SELECT gen_random_uuid(), 'wf ' || g,"
              + " jsonb_build_object('nodes', g, 'tags', jsonb_build_array('a', g))"
              + " FROM generate_series(1, 2000) g");
      s.execute("CREATE SEQUENCE revision_seq START 42");
    }
    try (Connection c = connect("linkflow_auth");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE account (id bigserial PRIMARY KEY, email text UNIQUE NOT NULL)");
      s.execute(
          "INSERT INTO account (email) SELECT 'user' || g || '@example.com' FROM generate_series(1, 300) g");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (s3proxy != null) {
      s3proxy.destroy();
      s3proxy.waitFor();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void dumpUploadListFetchAndRestoreGiveBackTheSameData() throws Exception {
    Path work = Files.createDirectories(dir.resolve("cronjob"));
    Map<String, String> env = env(work);

    Observability.Result dump = script(env, "dump");
    assertThat(dump.exit()).as(dump.all()).isZero();
    Observability.Result upload = script(env, "upload");
    assertThat(upload.exit()).as(upload.all()).isZero();

    String stamp = Files.readString(work.resolve("STAMP")).strip();
    assertThat(stamp).matches("[0-9]{8}T[0-9]{6}Z");
    Path stored = dir.resolve("s3").resolve(BUCKET).resolve("postgres").resolve(stamp);
    assertThat(names(stored))
        .containsExactlyInAnyOrder("linkflow_auth.dump", "linkflow_workflow.dump", "SHA256SUMS");

    // The operator's side, on another machine: nothing local but what the script fetches.
    Path restoreDir = Files.createDirectories(dir.resolve("operator"));
    Map<String, String> operator = env(restoreDir);
    Observability.Result list = script(operator, "list");
    assertThat(list.exit()).as(list.all()).isZero();
    assertThat(list.out().strip().lines()).containsExactly(stamp);

    Observability.Result fetch = script(operator, "fetch", stamp);
    assertThat(fetch.exit()).as(fetch.all()).isZero();
    assertThat(fetch.err()).contains("linkflow_workflow.dump: OK");

    Observability.Result restore =
        script(operator, "restore", stamp, "linkflow_workflow", "linkflow_workflow_restored");
    assertThat(restore.exit()).as(restore.all()).isZero();
    assertThat(fingerprint("linkflow_workflow_restored"))
        .isEqualTo(fingerprint("linkflow_workflow"));
    try (Connection c = connect("linkflow_workflow_restored");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT nextval('revision_seq')")) {
      r.next();
      assertThat(r.getLong(1)).isEqualTo(42);
    }

    Observability.Result again =
        script(operator, "restore", stamp, "linkflow_auth", "linkflow_auth_restored");
    assertThat(again.exit()).as(again.all()).isZero();
    assertThat(fingerprint("linkflow_auth_restored")).isEqualTo(fingerprint("linkflow_auth"));
  }

  @Test
  void aCorruptedDumpIsRefusedAtFetch() throws Exception {
    Path work = Files.createDirectories(dir.resolve("corrupt-cronjob"));
    Map<String, String> env = env(work);
    env.put("S3_PREFIX", "corrupt");
    assertThat(script(env, "dump").exit()).isZero();
    assertThat(script(env, "upload").exit()).isZero();
    String stamp = Files.readString(work.resolve("STAMP")).strip();
    Path dump =
        dir.resolve("s3")
            .resolve(BUCKET)
            .resolve("corrupt")
            .resolve(stamp)
            .resolve("linkflow_auth.dump");
    byte[] bytes = Files.readAllBytes(dump);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(dump, bytes);

    Map<String, String> operator = env(Files.createDirectories(dir.resolve("corrupt-operator")));
    operator.put("S3_PREFIX", "corrupt");
    Observability.Result fetch = script(operator, "fetch", stamp);
    assertThat(fetch.exit()).isNotZero();
    assertThat(fetch.err()).contains("checksum mismatch");
  }

  @Test
  void aDatabaseThatCannotBeDumpedFailsTheBackup() throws Exception {
    Map<String, String> env = env(Files.createDirectories(dir.resolve("missing")));
    env.put("BACKUP_DATABASES", "linkflow_auth,linkflow_nothere");
    Observability.Result dump = script(env, "dump");
    assertThat(dump.exit()).isNotZero();
    assertThat(dump.err()).contains("linkflow_nothere");
  }

  static Map<String, String> env(Path backupDir) {
    Map<String, String> env = new HashMap<>();
    env.put("PGHOST", "localhost");
    env.put("PGPORT", Integer.toString(postgres.getPort()));
    env.put("PGUSER", "postgres");
    env.put("PGPASSWORD", "unused");
    env.put("BACKUP_DATABASES", "linkflow_auth,linkflow_workflow");
    env.put("BACKUP_DIR", backupDir.toString());
    env.put("S3_ENDPOINT", "http://127.0.0.1:" + s3Port);
    env.put("S3_BUCKET", BUCKET);
    env.put("S3_PREFIX", "postgres");
    env.put("S3_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    return env;
  }

  static Observability.Result script(Map<String, String> env, String... arguments) {
    for (String tool : List.of("pg_dump", "pg_restore", "psql", "curl", "sha256sum")) {
      Observability.requireTool(tool);
    }
    List<String> command = new ArrayList<>(List.of("sh", SCRIPT.toString()));
    command.addAll(List.of(arguments));
    return Observability.run(dir, env, command, 120);
  }

  /** Row count and an order-independent digest of every table's rows. */
  static String fingerprint(String database) throws SQLException {
    StringBuilder print = new StringBuilder();
    try (Connection c = connect(database);
        Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet r =
          s.executeQuery(
              "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")) {
        while (r.next()) {
          tables.add(r.getString(1));
        }
      }
      assertThat(tables).as(database + " tables").isNotEmpty();
      for (String table : tables) {
        try (ResultSet r =
            s.executeQuery(
                "SELECT count(*), md5(string_agg(md5(t::text), ',' ORDER BY md5(t::text))) FROM "
                    + table
                    + " t")) {
          r.next();
          print
              .append(table)
              .append(':')
              .append(r.getLong(1))
              .append(':')
              .append(r.getString(2))
              .append(';');
        }
      }
      try (ResultSet r =
          s.executeQuery(
              "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'public'")) {
        r.next();
        print.append("indexes:").append(r.getString(1));
      }
    }
    return print.toString();
  }

  static Connection admin() throws SQLException {
    return postgres.getPostgresDatabase().getConnection();
  }

  static Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database, "postgres", "unused");
  }

  static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static boolean listening(int port) {
    try (Socket ignored = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
