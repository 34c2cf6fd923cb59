package io.linkflow.variable;

import io.linkflow.common.db.PgErrors;
import io.linkflow.common.error.Problem;
import io.linkflow.common.error.ProblemException;
import io.linkflow.common.paging.Cursor;
import io.linkflow.common.paging.Page;
import io.linkflow.common.paging.PageRequest;
import io.linkflow.events.EventType;
import io.linkflow.events.EventTypes;
import io.linkflow.events.outbox.Outbox;
import io.linkflow.events.payload.VariableChangedV1;
import io.linkflow.security.crypto.EnvelopeCipher;
import io.linkflow.security.crypto.SecretCipher;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Workspace variables: validation, encryption of secret values, and variable.events, each change in
 * one transaction with its event (nothing is written on an error).
 */
@ApplicationScoped
public class VariableService {

  /** Like an environment variable: a letter or underscore, then letters, digits, underscores. */
  static final Pattern KEY = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]{0,127}$");

  static final int MAX_DESCRIPTION = 500;

  private final Pool pool;
  private final VariableRepository variables;
  private final SecretCipher cipher;
  private final Outbox outbox;
  private final int maxValueBytes;

  public VariableService(
      Pool pool,
      VariableRepository variables,
      SecretCipher cipher,
      Outbox outbox,
      @ConfigProperty(name = "linkflow.variable.max-value-bytes", defaultValue = "65536")
          int maxValueBytes) {
    this.pool = pool;
    this.variables = variables;
    this.cipher = cipher;
    this.outbox = outbox;
    this.maxValueBytes = maxValueBytes;
  }

  public Uni<Variable> create(
      UUID workspaceId,
      String actor,
      String key,
      String value,
      Boolean secret,
      String description) {
    List<Problem.FieldError> errors = new ArrayList<>();
    if (key == null || !KEY.matcher(key).matches()) {
      errors.add(
          new Problem.FieldError(
              "/key", "1–128 letters, digits or underscores, not starting with a digit"));
    }
    checkValue(value, errors);
    checkDescription(description, errors);
    fail(errors);
    boolean isSecret = Boolean.TRUE.equals(secret);
    UUID id = UUID.randomUUID();
    return pool.withTransaction(
            tx ->
                variables
                    .insert(
                        tx,
                        workspaceId,
                        id,
                        key,
                        isSecret ? null : value,
                        isSecret ? seal(workspaceId, id, value) : null,
                        description,
                        actor)
                    .call(
                        () ->
                            announce(
                                tx,
                                EventTypes.VARIABLE_CREATED_V1,
                                workspaceId,
                                id,
                                key,
                                isSecret,
                                actor))
                    .flatMap(ignored -> variables.find(tx, workspaceId, id, false))
                    .map(found -> found.orElseThrow()))
        .onFailure(PgErrors::uniqueViolation)
        .transform(
            e ->
                new ProblemException(
                    Problem.of(409, "A variable with the key " + key + " already exists.")
                        .withErrors(List.of(new Problem.FieldError("/key", "already used")))));
  }

  public Uni<Page<Variable>> list(UUID workspaceId, String prefix, PageRequest page) {
    return pool.withConnection(c -> variables.page(c, workspaceId, prefix, page))
        .map(rows -> Page.of(rows, page, v -> new Cursor(v.key(), v.id().toString())));
  }

  public Uni<Variable> get(UUID workspaceId, UUID id) {
    return pool.withConnection(c -> variables.find(c, workspaceId, id, false))
        .map(found -> found.orElseThrow(VariableService::notFound));
  }

  /**
   * Changes the value and/or the description ({@code null} leaves each as it is). Whether a value
   * is secret is fixed at creation: sending a different {@code secret} is a 400.
   */
  public Uni<Variable> update(
      UUID workspaceId, UUID id, String actor, String value, Boolean secret, String description) {
    List<Problem.FieldError> errors = new ArrayList<>();
    if (value != null) {
      checkValue(value, errors);
    }
    checkDescription(description, errors);
    fail(errors);
    return pool.withTransaction(
        tx ->
            variables
                .find(tx, workspaceId, id, true)
                .flatMap(
                    found -> {
                      Variable current = found.orElseThrow(VariableService::notFound);
                      if (secret != null && secret != current.secret()) {
                        throw new ProblemException(
                            Problem.of(
                                    400,
                                    "Whether a variable is secret is fixed when it is created;"
                                        + " create a new variable instead.")
                                .withErrors(
                                    List.of(new Problem.FieldError("/secret", "cannot change"))));
                      }
                      String newDescription =
                          description == null ? current.description() : description;
                      Uni<Void> write;
                      if (value == null) {
                        write =
                            current.secret()
                                ? variables.updateDescription(tx, workspaceId, id, newDescription)
                                : variables.update(
                                    tx, workspaceId, id, current.value(), null, newDescription);
                      } else {
                        write =
                            variables.update(
                                tx,
                                workspaceId,
                                id,
                                current.secret() ? null : value,
                                current.secret() ? seal(workspaceId, id, value) : null,
                                newDescription);
                      }
                      return write
                          .call(
                              () ->
                                  announce(
                                      tx,
                                      EventTypes.VARIABLE_UPDATED_V1,
                                      workspaceId,
                                      id,
                                      current.key(),
                                      current.secret(),
                                      actor))
                          .flatMap(ignored -> variables.find(tx, workspaceId, id, false))
                          .map(updated -> updated.orElseThrow());
                    }));
  }

  public Uni<Void> delete(UUID workspaceId, UUID id, String actor) {
    return pool.withTransaction(
        tx ->
            variables
                .find(tx, workspaceId, id, true)
                .flatMap(
                    found -> {
                      Variable current = found.orElseThrow(VariableService::notFound);
                      return variables
                          .delete(tx, workspaceId, id)
                          .call(
                              () ->
                                  announce(
                                      tx,
                                      EventTypes.VARIABLE_DELETED_V1,
                                      workspaceId,
                                      id,
                                      current.key(),
                                      current.secret(),
                                      actor));
                    }));
  }

  private VariableRepository.Sealed seal(UUID workspaceId, UUID id, String value) {
    byte[] sealed = cipher.sealText(workspaceId, id, value);
    return new VariableRepository.Sealed(sealed, EnvelopeCipher.masterKeyId(sealed));
  }

  private Uni<Void> announce(
      SqlClient tx,
      EventType<VariableChangedV1> type,
      UUID workspaceId,
      UUID id,
      String key,
      boolean secret,
      String actor) {
    return outbox
        .append(
            tx,
            type,
            id.toString(),
            workspaceId.toString(),
            new VariableChangedV1(id, workspaceId, key, secret, actor))
        .replaceWithVoid();
  }

  private void checkValue(String value, List<Problem.FieldError> errors) {
    if (value == null) {
      errors.add(new Problem.FieldError("/value", "required"));
    } else if (value.getBytes(StandardCharsets.UTF_8).length > maxValueBytes) {
      errors.add(new Problem.FieldError("/value", "at most " + maxValueBytes + " bytes"));
    }
  }

  private static void checkDescription(String description, List<Problem.FieldError> errors) {
    if (description != null && description.length() > MAX_DESCRIPTION) {
      errors.add(
          new Problem.FieldError("/description", "at most " + MAX_DESCRIPTION + " characters"));
    }
  }

  private static void fail(List<Problem.FieldError> errors) {
    if (!errors.isEmpty()) {
      throw new ProblemException(
          Problem.of(400, "The variable is not valid; see errors.").withErrors(errors));
    }
  }

  private static ProblemException notFound() {
    return new ProblemException(404, "No such variable in this workspace.");
  }
}
