package io.linkflow.node.rest;

import io.linkflow.common.error.ProblemException;
import io.linkflow.common.paging.Cursor;
import io.linkflow.common.paging.Page;
import io.linkflow.common.paging.PageRequest;
import io.linkflow.node.catalog.NodeTypeRepository;
import io.linkflow.nodes.CredentialType;
import io.linkflow.nodes.NodeType;
import io.linkflow.nodes.NodeTypeSummary;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The node registry under {@code /api/v1/nodes}: node types (latest or a given version, with the
 * JSON Schema of their parameters) and credential types. Global and read-only: any authenticated
 * caller with the {@code nodes:read} scope, whatever their workspace or role.
 */
@Path("/api/v1/nodes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "nodes", description = "Node types and credential types (the node registry)")
public class NodeResource {

  static final int MAX_QUERY = 200;

  private final Pool pool;
  private final NodeTypeRepository repository;

  public NodeResource(Pool pool, NodeTypeRepository repository) {
    this.pool = pool;
    this.repository = repository;
  }

  @GET
  @PermissionsAllowed("nodes:read")
  @Operation(
      summary = "Node types (their latest versions), by type name",
      description =
          "Filter by category, kind (trigger or action) and q, a case-insensitive text searched in"
              + " the type name, display name and description. Items carry no schema: get one"
              + " type for its ports, parameters schema, credential types and documentation.")
  @APIResponse(
      responseCode = "200",
      description =
          "{items: [{type, version, displayName, category, kind, description}], nextCursor}; pass"
              + " nextCursor back as ?cursor= (limit 1–100, default 20)")
  @APIResponse(responseCode = "400", description = "Bad limit, cursor, kind or q")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "The token lacks the nodes:read scope")
  public Uni<Page<NodeTypeSummary>> list(
      @QueryParam("category") String category,
      @QueryParam("kind") @Parameter(description = "trigger or action") String kind,
      @QueryParam("q") String q,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor) {
    PageRequest request = PageRequest.of(limit, cursor);
    if (kind != null && !NodeType.TRIGGER.equals(kind) && !NodeType.ACTION.equals(kind)) {
      throw new ProblemException(400, "kind must be trigger or action.");
    }
    if (q != null && q.length() > MAX_QUERY) {
      throw new ProblemException(400, "q must be at most " + MAX_QUERY + " characters.");
    }
    String text = q == null || q.isBlank() ? null : q.strip();
    String group = category == null || category.isBlank() ? null : category;
    return repository
        .page(pool, group, kind, text, request)
        .map(rows -> Page.of(rows, request, row -> new Cursor(row.type(), row.type())));
  }

  @GET
  @Path("/credential-types")
  @PermissionsAllowed("nodes:read")
  @Operation(summary = "Credential types, by name, with the JSON Schema of their fields")
  @APIResponse(
      responseCode = "200",
      description = "{items: [{name, displayName, description, schema, secretFields}]}")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "The token lacks the nodes:read scope")
  public Uni<Listing<CredentialType>> credentialTypes() {
    return repository.credentialTypes(pool).map(Listing::new);
  }

  @GET
  @Path("/credential-types/{name}")
  @PermissionsAllowed("nodes:read")
  @Operation(summary = "One credential type, with the JSON Schema of its fields")
  @APIResponse(
      responseCode = "200",
      description =
          "{name, displayName, description, schema, secretFields}; secret fields are marked"
              + " \"x-secret\": true in the schema")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "The token lacks the nodes:read scope")
  @APIResponse(responseCode = "404", description = "No credential type with this name")
  public Uni<CredentialType> credentialType(@PathParam("name") String name) {
    return repository
        .credentialType(pool, name)
        .map(
            found ->
                found.orElseThrow(
                    () -> new ProblemException(404, "No credential type named " + name + ".")));
  }

  @GET
  @Path("/{type}")
  @PermissionsAllowed("nodes:read")
  @Operation(
      summary = "A node type: its latest version, or ?version=N",
      description =
          "The full definition: ports (inputs, outputs), parameters as a JSON Schema (draft"
              + " 2020-12), accepted credential types and documentation (markdown).")
  @APIResponse(
      responseCode = "200",
      description =
          "{type, version, displayName, category, kind, description, inputs, outputs, parameters,"
              + " credentialTypes, documentation}")
  @APIResponse(responseCode = "400", description = "version is not a positive integer")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "The token lacks the nodes:read scope")
  @APIResponse(responseCode = "404", description = "No such type, or no such version of it")
  public Uni<NodeType> get(
      @PathParam("type") String type,
      @QueryParam("version") @Parameter(description = "a specific version (1, 2, …)")
          String versionParam) {
    Integer version = version(versionParam);
    return repository
        .find(pool, type, version)
        .map(
            found ->
                found.orElseThrow(
                    () ->
                        new ProblemException(
                            404,
                            version == null
                                ? "No node type " + type + "."
                                : "No version " + version + " of node type " + type + ".")));
  }

  private static Integer version(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      int version = Integer.parseInt(text.strip());
      if (version >= 1) {
        return version;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ProblemException(400, "version must be a whole number, 1 or more.");
  }
}
