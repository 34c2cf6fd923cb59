package io.linkflow.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Applies every database service's Flyway migrations (plus the shared outbox/inbox tables). */
public final class Migrator {

  static final String EVENTS_MIGRATIONS = "libs/events/src/main/resources/db/events";

  private final Postgres postgres;
  private final Path repoRoot;

  public Migrator(Postgres postgres, Path repoRoot) {
    this.postgres = postgres;
    this.repoRoot = repoRoot;
  }

  /** Migrates all databases; returns false when one failed. */
  public boolean migrateAll() {
    boolean ok = true;
    for (Catalog.Service service : Catalog.withDatabase()) {
      List<String> locations = new ArrayList<>();
      Path own = repoRoot.resolve(service.moduleDir()).resolve("src/main/resources/db/migration");
      if (Files.isDirectory(own)) {
        locations.add("filesystem:" + own);
      }
      Path events = repoRoot.resolve(EVENTS_MIGRATIONS);
      if (Files.isDirectory(events)) {
        locations.add("filesystem:" + events);
      }
      String label = String.format("  %-21s %-22s", service.id(), service.database());
      if (locations.isEmpty()) {
        System.out.println(label + " skipped (no migration folders)");
        continue;
      }
      try {
        MigrateResult result =
            Flyway.configure()
                .dataSource(postgres.jdbcUrl(service.database()), Postgres.USER, Postgres.PASSWORD)
                .locations(locations.toArray(String[]::new))
                .connectRetries(3)
                .load()
                .migrate();
        System.out.println(
            label
                + " "
                + result.migrationsExecuted
                + " applied"
                + (result.targetSchemaVersion == null
                    ? ""
                    : ", schema version " + result.targetSchemaVersion));
      } catch (RuntimeException e) {
        ok = false;
        System.out.println(label + " FAILED: " + e.getMessage());
      }
    }
    return ok;
  }
}
