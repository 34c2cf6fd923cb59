package io.linkflow.credential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.common.db.PgErrors;
import io.linkflow.common.error.Problem;
import io.linkflow.common.error.ProblemException;
import io.linkflow.common.paging.Cursor;
import io.linkflow.common.paging.Page;
import io.linkflow.common.paging.PageRequest;
import io.linkflow.events.EventTypes;
import io.linkflow.nodes.Catalog;
import io.linkflow.nodes.CredentialType;
import io.linkflow.security.crypto.CiphertextRejectedException;
import io.linkflow.security.crypto.EnvelopeCipher;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Credentials of a workspace: validation against the type's schema, sealing, credential.events and
 * audit.log, each change in one transaction with its events (nothing is written on an error).
 */
@ApplicationScoped
public class CredentialService {

  private static final Logger LOG = Logger.getLogger(CredentialService.class);

  static final int MAX_NAME = 128;

  private final Pool pool;
  private final CredentialRepository credentials;
  private final CredentialSecrets secrets;
  private final CredentialEvents events;

  public CredentialService(
      Pool pool,
      CredentialRepository credentials,
      CredentialSecrets secrets,
      CredentialEvents events) {
    this.pool = pool;
    this.credentials = credentials;
    this.secrets = secrets;
    this.events = events;
  }

  public Uni<Credential> create(
      UUID workspaceId, String actor, String name, String typeName, JsonNode data) {
    List<Problem.FieldError> errors = new ArrayList<>();
    checkName(name, errors);
    CredentialType type = null;
    if (typeName == null || typeName.isBlank()) {
      errors.add(new Problem.FieldError("/type", "required"));
    } else {
      type = CredentialFields.type(typeName).orElse(null);
      if (type == null) {
        errors.add(new Problem.FieldError("/type", "unknown credential type; one of " + known()));
      }
    }
    ObjectNode fields = object(data, errors);
    if (type != null && fields != null) {
      errors.addAll(CredentialFields.validate(type, fields));
    }
    fail(errors);
    UUID id = UUID.randomUUID();
    boolean connected =
        !CredentialFields.OAUTH2_AUTHORIZATION_CODE.equals(type.name())
            || fields.hasNonNull("accessToken");
    CredentialRepository.Fields stored =
        stored(
            workspaceId,
            id,
            type,
            name.trim(),
            connected ? Credential.READY : Credential.PENDING_AUTHORIZATION,
            connected ? null : pendingReason(id),
            fields);
    CredentialType created = type;
    return pool.withTransaction(
            tx ->
                credentials
                    .insert(tx, workspaceId, id, created.name(), stored, actor)
                    .flatMap(ignored -> credentials.require(tx, workspaceId, id, false))
                    .call(
                        credential ->
                            events.changed(
                                tx, EventTypes.CREDENTIAL_CREATED_V1, credential, actor, Map.of()))
                    .map(StoredCredential::view))
        .onFailure(PgErrors::uniqueViolation)
        .transform(e -> nameTaken(name));
  }

  public Uni<Page<Credential>> list(
      UUID workspaceId, String type, String search, PageRequest page) {
    return pool.withConnection(c -> credentials.page(c, workspaceId, type, search, page))
        .map(
            rows ->
                Page.of(
                    rows.stream().map(StoredCredential::view).toList(),
                    page,
                    c -> new Cursor(c.name(), c.id().toString())));
  }

  public Uni<Credential> get(UUID workspaceId, UUID id) {
    return pool.withConnection(c -> credentials.require(c, workspaceId, id, false))
        .map(StoredCredential::view);
  }

  /**
   * Renames and/or changes fields: {@code data} is merged onto the stored fields (a field left out
   * keeps its value, {@code null} removes it) and the result validated. The type is fixed.
   */
  public Uni<Credential> update(
      UUID workspaceId, UUID id, String actor, String name, String typeName, JsonNode data) {
    List<Problem.FieldError> errors = new ArrayList<>();
    if (name != null) {
      checkName(name, errors);
    }
    ObjectNode patch = data == null ? JsonNodeFactory.instance.objectNode() : object(data, errors);
    fail(errors);
    return pool.withTransaction(
            tx ->
                credentials
                    .require(tx, workspaceId, id, true)
                    .flatMap(
                        current -> {
                          if (typeName != null && !typeName.equals(current.type())) {
                            throw new ProblemException(
                                Problem.of(
                                        400,
                                        "A credential's type is fixed when it is created; create"
                                            + " a new credential instead.")
                                    .withErrors(
                                        List.of(new Problem.FieldError("/type", "cannot change"))));
                          }
                          CredentialType type = typeOf(current);
                          ObjectNode merged = CredentialFields.merge(open(current), patch);
                          fail(CredentialFields.validate(type, merged));
                          boolean reconnected =
                              CredentialFields.OAUTH2_AUTHORIZATION_CODE.equals(type.name())
                                  && patch.hasNonNull("accessToken");
                          CredentialRepository.Fields stored =
                              stored(
                                  workspaceId,
                                  id,
                                  type,
                                  name == null ? current.name() : name.trim(),
                                  reconnected ? Credential.READY : current.status(),
                                  reconnected ? null : current.statusReason(),
                                  merged);
                          return credentials
                              .update(tx, workspaceId, id, current.version(), stored, actor)
                              .flatMap(ignored -> credentials.require(tx, workspaceId, id, false))
                              .call(
                                  updated ->
                                      events.changed(
                                          tx,
                                          EventTypes.CREDENTIAL_UPDATED_V1,
                                          updated,
                                          actor,
                                          changes(current, updated, patch)))
                              .map(StoredCredential::view);
                        }))
        .onFailure(PgErrors::uniqueViolation)
        .transform(e -> nameTaken(name));
  }

  public Uni<Void> delete(UUID workspaceId, UUID id, String actor) {
    return pool.withTransaction(
        tx ->
            credentials
                .require(tx, workspaceId, id, true)
                .flatMap(
                    current -> {
                      return credentials
                          .delete(tx, workspaceId, id)
                          .call(
                              () ->
                                  events.changed(
                                      tx,
                                      EventTypes.CREDENTIAL_DELETED_V1,
                                      current,
                                      actor,
                                      Map.of()));
                    }));
  }

  /** What a write stores for {@code fields}: the public part, the secret names, the ciphertext. */
  CredentialRepository.Fields stored(
      UUID workspaceId,
      UUID id,
      CredentialType type,
      String name,
      String status,
      String statusReason,
      ObjectNode fields) {
    byte[] sealed = secrets.seal(workspaceId, id, fields);
    return new CredentialRepository.Fields(
        name,
        status,
        statusReason,
        CredentialFields.publicPart(type, fields),
        CredentialFields.secretFieldsSet(type, fields),
        sealed,
        EnvelopeCipher.masterKeyId(sealed),
        tokenExpiry(fields));
  }

  /** The stored fields; a 500 problem when the ciphertext does not open (altered or moved). */
  ObjectNode open(StoredCredential credential) {
    try {
      return secrets.open(credential.workspaceId(), credential.id(), credential.sealed());
    } catch (CiphertextRejectedException e) {
      LOG.errorf(
          "The fields of credential %s do not decrypt: altered, moved, or their master key %d is"
              + " not configured",
          credential.id(), credential.masterKeyId());
      throw undecryptable();
    }
  }

  static ProblemException undecryptable() {
    return new ProblemException(
        500,
        "The stored credential cannot be decrypted (it was altered or its master key is not"
            + " configured); quote the request id when reporting it.");
  }

  static CredentialType typeOf(StoredCredential credential) {
    return CredentialFields.type(credential.type())
        .orElseThrow(
            () ->
                new ProblemException(
                    500, "The credential type " + credential.type() + " is no longer known."));
  }

  static String pendingReason(UUID id) {
    return "Not connected yet: start the authorization with POST /api/v1/credentials/"
        + id
        + "/oauth2/authorize.";
  }

  /** The OAuth2 access token's expiry ({@code expiresAt}), for the refresher. */
  static Instant tokenExpiry(ObjectNode fields) {
    JsonNode expiresAt = fields.get("expiresAt");
    if (expiresAt == null || !expiresAt.isTextual()) {
      return null;
    }
    try {
      return Instant.parse(expiresAt.asText());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  static ProblemException notFound() {
    return new ProblemException(404, "No such credential in this workspace.");
  }

  private static Map<String, String> changes(
      StoredCredential current, StoredCredential updated, ObjectNode patch) {
    List<String> fields = new ArrayList<>();
    patch.fieldNames().forEachRemaining(fields::add);
    Map<String, String> details = new java.util.LinkedHashMap<>();
    details.put("fields", fields.stream().sorted().collect(Collectors.joining(",")));
    if (!current.name().equals(updated.name())) {
      details.put("renamedFrom", current.name());
    }
    return details;
  }

  private static ObjectNode object(JsonNode data, List<Problem.FieldError> errors) {
    if (data == null || data.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!data.isObject()) {
      errors.add(new Problem.FieldError("/data", "must be an object of the type's fields"));
      return null;
    }
    return (ObjectNode) data;
  }

  private static void checkName(String name, List<Problem.FieldError> errors) {
    if (name == null || name.isBlank()) {
      errors.add(new Problem.FieldError("/name", "required"));
    } else if (name.trim().length() > MAX_NAME) {
      errors.add(new Problem.FieldError("/name", "at most " + MAX_NAME + " characters"));
    }
  }

  private static String known() {
    return Catalog.builtIn().credentialTypes().stream()
        .map(CredentialType::name)
        .sorted()
        .collect(Collectors.joining(", "));
  }

  private static void fail(List<Problem.FieldError> errors) {
    if (!errors.isEmpty()) {
      throw new ProblemException(
          Problem.of(400, "The credential is not valid; see errors.").withErrors(errors));
    }
  }

  private static ProblemException nameTaken(String name) {
    return new ProblemException(
        Problem.of(409, "A credential named " + name.trim() + " already exists in this workspace.")
            .withErrors(List.of(new Problem.FieldError("/name", "already used"))));
  }
}
