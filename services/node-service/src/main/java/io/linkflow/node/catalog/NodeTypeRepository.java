package io.linkflow.node.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.linkflow.common.paging.PageRequest;
import io.linkflow.nodes.CatalogLoader;
import io.linkflow.nodes.CredentialType;
import io.linkflow.nodes.NodeType;
import io.linkflow.nodes.NodeTypeSummary;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Stored node and credential types. */
@ApplicationScoped
public class NodeTypeRepository {

  /** What an upsert did to a stored node type version. */
  public enum Change {
    ADDED,
    CHANGED
  }

  private static final String LATEST =
      "SELECT DISTINCT ON (type) type, version, display_name, category, kind, description"
          + " FROM node_type ORDER BY type, version DESC";

  /**
   * Inserts a node type version or replaces its stored definition when it differs (as JSONB, so key
   * order and formatting do not count). Empty when the stored definition is the same.
   */
  public Uni<Optional<Change>> upsert(SqlClient tx, NodeType node) {
    return tx.preparedQuery(
            "INSERT INTO node_type (type, version, display_name, category, kind, description,"
                + " definition) VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb)"
                + " ON CONFLICT (type, version) DO UPDATE SET display_name = EXCLUDED.display_name,"
                + " category = EXCLUDED.category, kind = EXCLUDED.kind,"
                + " description = EXCLUDED.description, definition = EXCLUDED.definition,"
                + " updated_at = now() WHERE node_type.definition IS DISTINCT FROM"
                + " EXCLUDED.definition RETURNING (xmax = 0) AS inserted")
        .execute(
            Tuple.from(
                new Object[] {
                  node.type(),
                  node.version(),
                  node.displayName(),
                  node.category(),
                  node.kind(),
                  node.description(),
                  json(node)
                }))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(
                        rows.iterator().next().getBoolean("inserted")
                            ? Change.ADDED
                            : Change.CHANGED));
  }

  /** Inserts or replaces a credential type; true when it was new or differed. */
  public Uni<Boolean> upsert(SqlClient tx, CredentialType credential) {
    return tx.preparedQuery(
            "INSERT INTO credential_type (name, definition) VALUES ($1, $2::text::jsonb)"
                + " ON CONFLICT (name) DO UPDATE SET definition = EXCLUDED.definition,"
                + " updated_at = now()"
                + " WHERE credential_type.definition IS DISTINCT FROM EXCLUDED.definition")
        .execute(Tuple.of(credential.name(), json(credential)))
        .map(result -> result.rowCount() == 1);
  }

  /**
   * One page of the latest version of each type, by type name, filtered by category, kind and a
   * case-insensitive text ({@code q}) in the type, display name or description; null filters are
   * not applied.
   */
  public Uni<List<NodeTypeSummary>> page(
      SqlClient client, String category, String kind, String q, PageRequest request) {
    String pattern = q == null ? null : "%" + likeEscaped(q) + "%";
    String after = request.after().map(cursor -> cursor.sortKey()).orElse(null);
    return client
        .preparedQuery(
            "SELECT * FROM ("
                + LATEST
                + ") latest"
                + " WHERE ($1::text IS NULL OR category = $1)"
                + " AND ($2::text IS NULL OR kind = $2)"
                + " AND ($3::text IS NULL OR type ILIKE $3 OR display_name ILIKE $3"
                + " OR description ILIKE $3)"
                + " AND ($4::text IS NULL OR type > $4)"
                + " ORDER BY type LIMIT $5")
        .execute(Tuple.of(category, kind, pattern, after, request.fetchSize()))
        .map(
            rows -> {
              List<NodeTypeSummary> page = new ArrayList<>(rows.size());
              rows.forEach(row -> page.add(summary(row)));
              return page;
            });
  }

  /** The given version of a type, or its latest when {@code version} is null. */
  public Uni<Optional<NodeType>> find(SqlClient client, String type, Integer version) {
    String sql =
        version == null
            ? "SELECT definition::text AS definition FROM node_type WHERE type = $1"
                + " ORDER BY version DESC LIMIT 1"
            : "SELECT definition::text AS definition FROM node_type WHERE type = $1"
                + " AND version = $2";
    Tuple args = version == null ? Tuple.of(type) : Tuple.of(type, version);
    return client
        .preparedQuery(sql)
        .execute(args)
        .map(rows -> first(rows).map(text -> read(text, NodeType.class)));
  }

  /** Every credential type, by name. */
  public Uni<List<CredentialType>> credentialTypes(SqlClient client) {
    return client
        .query("SELECT definition::text AS definition FROM credential_type ORDER BY name")
        .execute()
        .map(
            rows -> {
              List<CredentialType> types = new ArrayList<>(rows.size());
              rows.forEach(
                  row -> types.add(read(row.getString("definition"), CredentialType.class)));
              return types;
            });
  }

  public Uni<Optional<CredentialType>> credentialType(SqlClient client, String name) {
    return client
        .preparedQuery("SELECT definition::text AS definition FROM credential_type WHERE name = $1")
        .execute(Tuple.of(name))
        .map(rows -> first(rows).map(text -> read(text, CredentialType.class)));
  }

  private static NodeTypeSummary summary(Row row) {
    return new NodeTypeSummary(
        row.getString("type"),
        row.getInteger("version"),
        row.getString("display_name"),
        row.getString("category"),
        row.getString("kind"),
        row.getString("description"));
  }

  private static Optional<String> first(RowSet<Row> rows) {
    return rows.size() == 0
        ? Optional.empty()
        : Optional.of(rows.iterator().next().getString("definition"));
  }

  /** Escapes LIKE's wildcards ({@code \} is PostgreSQL's default escape character). */
  static String likeEscaped(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  private static String json(Object value) {
    try {
      return CatalogLoader.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value, e);
    }
  }

  private static <T> T read(String json, Class<T> type) {
    try {
      return CatalogLoader.mapper().readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored definition does not read as " + type, e);
    }
  }
}
