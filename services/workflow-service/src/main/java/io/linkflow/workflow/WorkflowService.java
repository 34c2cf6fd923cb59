package io.linkflow.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linkflow.common.Ids;
import io.linkflow.common.error.Problem;
import io.linkflow.common.error.Problem.FieldError;
import io.linkflow.common.error.ProblemException;
import io.linkflow.common.paging.Cursor;
import io.linkflow.common.paging.Page;
import io.linkflow.common.paging.PageRequest;
import io.linkflow.events.EventTypes;
import io.linkflow.nodes.Catalog;
import io.linkflow.workflow.model.Definition;
import io.linkflow.workflow.model.Execution;
import io.linkflow.workflow.model.Node;
import io.linkflow.workflow.model.Version;
import io.linkflow.workflow.model.WorkflowInput;
import io.linkflow.workflow.store.WorkflowRepository;
import io.linkflow.workflow.store.WorkflowRow;
import io.linkflow.workflow.validation.WorkflowValidator;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Workflow definitions: every save validated against the registry and appended as an immutable
 * version, in one transaction with its events; optimistic concurrency by revision (the ETag);
 * activation with webhook-path claims; execute requests with idempotency keys.
 */
@ApplicationScoped
public class WorkflowService {

  private final Pool pool;
  private final WorkflowRepository workflows;
  private final WorkflowEvents events;
  private final ObjectMapper mapper;
  private final WorkflowValidator validator = new WorkflowValidator(Catalog.builtIn());
  private final int maxInputBytes;

  public WorkflowService(
      Pool pool,
      WorkflowRepository workflows,
      WorkflowEvents events,
      ObjectMapper mapper,
      @ConfigProperty(name = "linkflow.workflow.max-execute-input-bytes", defaultValue = "262144")
          int maxInputBytes) {
    this.pool = pool;
    this.workflows = workflows;
    this.events = events;
    this.mapper = mapper;
    this.maxInputBytes = maxInputBytes;
  }

  // ---- read -----------------------------------------------------------------------------------

  public Uni<WorkflowRow> get(UUID workspaceId, UUID id) {
    return pool.withConnection(c -> workflows.find(c, workspaceId, id, false))
        .map(found -> found.orElseThrow(WorkflowService::notFound));
  }

  public Uni<Page<WorkflowRow>> list(
      UUID workspaceId,
      String query,
      List<String> tags,
      UUID folderId,
      Boolean active,
      PageRequest page) {
    return pool.withConnection(
            c -> workflows.page(c, workspaceId, query, tags, folderId, active, page))
        .map(
            rows ->
                Page.of(
                    rows,
                    page,
                    w ->
                        new Cursor(
                            w.name().toLowerCase(java.util.Locale.ROOT), w.id().toString())));
  }

  public Uni<Page<Version>> versions(UUID workspaceId, UUID id, PageRequest page) {
    return pool.withConnection(
        c ->
            workflows
                .exists(c, workspaceId, id)
                .flatMap(
                    exists -> {
                      if (!exists) {
                        throw notFound();
                      }
                      return workflows.versions(c, workspaceId, id, page);
                    })
                .map(
                    rows ->
                        Page.of(rows, page, v -> new Cursor(String.valueOf(v.version()), v.id()))));
  }

  public Uni<Version> version(UUID workspaceId, UUID id, int version) {
    return pool.withConnection(c -> workflows.version(c, workspaceId, id, version))
        .map(
            found ->
                found.orElseThrow(
                    () ->
                        new ProblemException(
                            404, "This workflow has no version " + version + ".")));
  }

  // ---- write ----------------------------------------------------------------------------------

  public Uni<WorkflowRow> create(UUID workspaceId, String actor, WorkflowInput input) {
    WorkflowValidator.Result result = validator.validate(input);
    UUID id = Ids.newId();
    UUID versionId = Ids.newId();
    return pool.withTransaction(
        tx ->
            checkStored(tx, workspaceId, id, input, result)
                .call(
                    () ->
                        workflows.insert(
                            tx,
                            workspaceId,
                            id,
                            input.name().trim(),
                            input.description(),
                            WorkflowValidator.uuidOrNull(input.folderId()),
                            result.tags(),
                            versionId,
                            actor))
                .call(
                    () ->
                        workflows.insertVersion(
                            tx,
                            workspaceId,
                            id,
                            versionId,
                            1,
                            input.name().trim(),
                            result.definition(),
                            null,
                            actor))
                .call(
                    () ->
                        events.changed(
                            tx,
                            EventTypes.WORKFLOW_CREATED_V1,
                            workspaceId,
                            id,
                            versionId,
                            1,
                            input.name().trim(),
                            actor))
                .call(
                    () ->
                        events.audit(
                            tx, "workflow.created", workspaceId, id, actor, Map.of("version", "1")))
                .flatMap(ignored -> workflows.find(tx, workspaceId, id, false))
                .map(Optional::orElseThrow));
  }

  /**
   * Saves a new version built from the current workflow by {@code change} (a full replacement, a
   * merge, or a restore), when {@code ifMatch} still matches. An active workflow stays active on
   * the new version, so it must still be activatable.
   */
  public Uni<WorkflowRow> save(
      UUID workspaceId,
      UUID id,
      String actor,
      String ifMatch,
      Function<WorkflowRow, WorkflowInput> change,
      Integer restoredFrom) {
    return pool.withTransaction(
        tx ->
            locked(tx, workspaceId, id, ifMatch)
                .flatMap(
                    current -> {
                      WorkflowInput input = change.apply(current);
                      WorkflowValidator.Result result = validator.validate(input);
                      int version = current.version() + 1;
                      UUID versionId = Ids.newId();
                      UUID active = current.active() ? versionId : null;
                      String name = input.name() == null ? null : input.name().trim();
                      return checkStored(tx, workspaceId, id, input, result)
                          .call(
                              () ->
                                  current.active()
                                      ? claim(tx, workspaceId, id, result.definition())
                                      : Uni.createFrom().voidItem())
                          .call(
                              () ->
                                  workflows.insertVersion(
                                      tx,
                                      workspaceId,
                                      id,
                                      versionId,
                                      version,
                                      name,
                                      result.definition(),
                                      restoredFrom,
                                      actor))
                          .call(
                              () ->
                                  workflows.updateHead(
                                      tx,
                                      workspaceId,
                                      id,
                                      name,
                                      input.description(),
                                      WorkflowValidator.uuidOrNull(input.folderId()),
                                      result.tags(),
                                      version,
                                      versionId,
                                      active,
                                      actor))
                          .call(
                              () ->
                                  events.changed(
                                      tx,
                                      EventTypes.WORKFLOW_UPDATED_V1,
                                      workspaceId,
                                      id,
                                      versionId,
                                      version,
                                      name,
                                      actor))
                          .call(
                              () ->
                                  current.active()
                                      ? events.activated(
                                          tx, workspaceId, id, versionId, result.definition())
                                      : Uni.createFrom().voidItem())
                          .call(
                              () ->
                                  events.audit(
                                      tx,
                                      restoredFrom == null
                                          ? "workflow.updated"
                                          : "workflow.restored",
                                      workspaceId,
                                      id,
                                      actor,
                                      restoredFrom == null
                                          ? Map.of("version", String.valueOf(version))
                                          : Map.of(
                                              "version",
                                              String.valueOf(version),
                                              "restoredFrom",
                                              String.valueOf(restoredFrom))))
                          .flatMap(ignored -> workflows.find(tx, workspaceId, id, false))
                          .map(Optional::orElseThrow);
                    }));
  }

  /** A new version with the definition and name of version {@code version}. */
  public Uni<WorkflowRow> restore(
      UUID workspaceId, UUID id, int version, String actor, String ifMatch) {
    return version(workspaceId, id, version)
        .flatMap(
            old ->
                save(
                    workspaceId,
                    id,
                    actor,
                    ifMatch,
                    current ->
                        new WorkflowInput(
                            null,
                            old.name(),
                            current.description(),
                            current.folderId() == null ? null : current.folderId().toString(),
                            current.tags(),
                            old.nodes(),
                            old.connections(),
                            old.settings()),
                    version));
  }

  public Uni<Void> delete(UUID workspaceId, UUID id, String actor, String ifMatch) {
    return pool.withTransaction(
        tx ->
            locked(tx, workspaceId, id, ifMatch)
                .flatMap(
                    current ->
                        workflows
                            .replaceClaims(tx, workspaceId, id, Map.of())
                            .call(() -> workflows.softDelete(tx, workspaceId, id, actor))
                            .call(
                                () ->
                                    current.active()
                                        ? events.deactivated(
                                            tx, workspaceId, id, current.activeVersionId())
                                        : Uni.createFrom().voidItem())
                            .call(
                                () ->
                                    events.changed(
                                        tx,
                                        EventTypes.WORKFLOW_DELETED_V1,
                                        workspaceId,
                                        id,
                                        current.versionId(),
                                        current.version(),
                                        current.name(),
                                        actor))
                            .call(
                                () ->
                                    events.audit(
                                        tx, "workflow.deleted", current, actor, Map.of()))));
  }

  /** Activates the latest version; activating what is already active changes nothing. */
  public Uni<WorkflowRow> activate(UUID workspaceId, UUID id, String actor, String ifMatch) {
    return pool.withTransaction(
        tx ->
            locked(tx, workspaceId, id, ifMatch)
                .flatMap(
                    current -> {
                      if (current.versionId().equals(current.activeVersionId())) {
                        return Uni.createFrom().item(current);
                      }
                      List<FieldError> errors =
                          WorkflowValidator.activationErrors(current.definition());
                      if (!errors.isEmpty()) {
                        throw invalid("The workflow cannot be activated; see errors.", errors);
                      }
                      return claim(tx, workspaceId, id, current.definition())
                          .call(
                              () ->
                                  workflows.setActiveVersion(
                                      tx, workspaceId, id, current.versionId(), actor))
                          .call(
                              () ->
                                  events.activated(
                                      tx,
                                      workspaceId,
                                      id,
                                      current.versionId(),
                                      current.definition()))
                          .call(
                              () ->
                                  events.audit(
                                      tx,
                                      "workflow.activated",
                                      current,
                                      actor,
                                      Map.of("version", String.valueOf(current.version()))))
                          .flatMap(ignored -> workflows.find(tx, workspaceId, id, false))
                          .map(Optional::orElseThrow);
                    }));
  }

  /** Deactivates; deactivating an inactive workflow changes nothing. */
  public Uni<WorkflowRow> deactivate(UUID workspaceId, UUID id, String actor, String ifMatch) {
    return pool.withTransaction(
        tx ->
            locked(tx, workspaceId, id, ifMatch)
                .flatMap(
                    current -> {
                      if (!current.active()) {
                        return Uni.createFrom().item(current);
                      }
                      return workflows
                          .replaceClaims(tx, workspaceId, id, Map.of())
                          .call(() -> workflows.setActiveVersion(tx, workspaceId, id, null, actor))
                          .call(
                              () ->
                                  events.deactivated(
                                      tx, workspaceId, id, current.activeVersionId()))
                          .call(
                              () ->
                                  events.audit(
                                      tx, "workflow.deactivated", current, actor, Map.of()))
                          .flatMap(ignored -> workflows.find(tx, workspaceId, id, false))
                          .map(Optional::orElseThrow);
                    }));
  }

  /**
   * Requests a manual execution of the active version (the latest when inactive). With an
   * idempotency key, a repeat answers the first execution id and publishes nothing.
   */
  public Uni<Execution> execute(
      UUID workspaceId, UUID id, String actor, String idempotencyKey, JsonNode body) {
    String input = input(body);
    if (idempotencyKey != null
        && (idempotencyKey.isBlank()
            || idempotencyKey.length() > 255
            || !idempotencyKey.chars().allMatch(ch -> ch >= 0x21 && ch <= 0x7e))) {
      throw new ProblemException(
          Problem.of(400, "Idempotency-Key must be 1–255 visible ASCII characters.")
              .withErrors(List.of(new FieldError("header:Idempotency-Key", "1–255 characters"))));
    }
    UUID executionId = Ids.newId();
    return pool.withTransaction(
        tx ->
            workflows
                .find(tx, workspaceId, id, false)
                .flatMap(
                    found -> {
                      WorkflowRow workflow = found.orElseThrow(WorkflowService::notFound);
                      UUID versionId =
                          workflow.active() ? workflow.activeVersionId() : workflow.versionId();
                      Uni<Boolean> fresh =
                          idempotencyKey == null
                              ? Uni.createFrom().item(true)
                              : workflows.insertExecuteRequest(
                                  tx, workspaceId, idempotencyKey, id, versionId, executionId);
                      return fresh.flatMap(
                          isNew -> {
                            if (!isNew) {
                              return repeated(tx, workspaceId, id, idempotencyKey);
                            }
                            return events
                                .executionRequested(
                                    tx, workspaceId, executionId, id, versionId, input)
                                .call(
                                    () ->
                                        events.audit(
                                            tx,
                                            "workflow.executed",
                                            workflow,
                                            actor,
                                            Map.of("executionId", executionId.toString())))
                                .replaceWith(
                                    new Execution(
                                        executionId.toString(),
                                        id.toString(),
                                        versionId.toString(),
                                        "manual",
                                        "queued"));
                          });
                    }));
  }

  private Uni<Execution> repeated(SqlClient tx, UUID workspaceId, UUID id, String key) {
    return workflows
        .executeRequest(tx, workspaceId, key)
        .map(
            found -> {
              WorkflowRepository.ExecuteRequest first = found.orElseThrow();
              if (!first.workflowId().equals(id)) {
                throw new ProblemException(
                    Problem.of(
                            422,
                            "This Idempotency-Key was already used to execute another workflow;"
                                + " use a new key for a new request.")
                        .withErrors(
                            List.of(
                                new FieldError(
                                    "header:Idempotency-Key", "used for another workflow"))));
              }
              return new Execution(
                  first.executionId().toString(),
                  id.toString(),
                  first.versionId().toString(),
                  "manual",
                  "queued");
            });
  }

  // ---- checks ---------------------------------------------------------------------------------

  /** Loads the head for update and checks {@code If-Match} (412 when stale). */
  private Uni<WorkflowRow> locked(SqlClient tx, UUID workspaceId, UUID id, String ifMatch) {
    return workflows
        .find(tx, workspaceId, id, true)
        .map(
            found -> {
              WorkflowRow current = found.orElseThrow(WorkflowService::notFound);
              if (!matches(ifMatch, current.etag())) {
                throw new ProblemException(
                    Problem.of(
                        412,
                        "The workflow changed since you read it (it is now version "
                            + current.version()
                            + ", ETag "
                            + current.etag()
                            + "): read it again and reapply your change."));
              }
              return current;
            });
  }

  static boolean matches(String ifMatch, String etag) {
    if (ifMatch == null || ifMatch.isBlank()) {
      return true;
    }
    for (String candidate : ifMatch.split(",")) {
      String tag = candidate.trim();
      if (tag.equals("*") || tag.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The stored-state checks (folder and error workflow exist in the workspace) added to the
   * validator's errors; fails with 422 listing all of them.
   */
  private Uni<Void> checkStored(
      SqlClient tx,
      UUID workspaceId,
      UUID workflowId,
      WorkflowInput input,
      WorkflowValidator.Result result) {
    List<FieldError> errors = new ArrayList<>(result.errors());
    UUID folder = WorkflowValidator.uuidOrNull(input.folderId());
    UUID errorWorkflow =
        WorkflowValidator.uuidOrNull(result.definition().settings().errorWorkflowId());
    Uni<Void> checks = Uni.createFrom().voidItem();
    if (folder != null) {
      checks =
          checks.call(
              () ->
                  workflows
                      .folder(tx, workspaceId, folder)
                      .invoke(
                          f -> {
                            if (f.isEmpty()) {
                              errors.add(new FieldError("/folderId", "no such folder"));
                            }
                          }));
    }
    if (errorWorkflow != null) {
      if (errorWorkflow.equals(workflowId)) {
        errors.add(
            new FieldError(
                "/settings/errorWorkflowId", "a workflow cannot be its own error workflow"));
      } else {
        checks =
            checks.call(
                () ->
                    workflows
                        .exists(tx, workspaceId, errorWorkflow)
                        .invoke(
                            exists -> {
                              if (!exists) {
                                errors.add(
                                    new FieldError(
                                        "/settings/errorWorkflowId",
                                        "no such workflow in this workspace"));
                              }
                            }));
      }
    }
    return checks.invoke(
        () -> {
          if (!errors.isEmpty()) {
            throw invalid("The workflow is not valid; see errors.", errors);
          }
        });
  }

  /**
   * Takes the webhook paths of an active definition for this workflow: 422 naming each node whose
   * path another active workflow of the workspace holds, and (when saving an active workflow) the
   * activation rules.
   */
  private Uni<Void> claim(SqlClient tx, UUID workspaceId, UUID id, Definition definition) {
    List<FieldError> activation = WorkflowValidator.activationErrors(definition);
    if (!activation.isEmpty()) {
      throw invalid(
          "The workflow is active and would no longer be activatable; deactivate it first or"
              + " keep a trigger.",
          activation);
    }
    Map<String, Node> claims = WorkflowValidator.webhookClaims(definition);
    if (claims.isEmpty()) {
      return workflows.replaceClaims(tx, workspaceId, id, Map.of());
    }
    return workflows
        .conflictingClaims(tx, workspaceId, id, List.copyOf(claims.keySet()))
        .flatMap(
            conflicts -> {
              if (!conflicts.isEmpty()) {
                List<FieldError> errors = new ArrayList<>();
                for (WorkflowRepository.Claim conflict : conflicts) {
                  Node node = claims.get(conflict.method() + " " + conflict.path());
                  errors.add(
                      new FieldError(
                          "/nodes/" + definition.nodes().indexOf(node) + "/parameters/path",
                          "the active workflow \""
                              + conflict.workflowName()
                              + "\" ("
                              + conflict.workflowId()
                              + ") already listens on "
                              + conflict.method()
                              + " "
                              + conflict.path(),
                          node.id()));
                }
                throw invalid("Another active workflow holds a webhook path; see errors.", errors);
              }
              Map<String, String> nodeIds = new LinkedHashMap<>();
              claims.forEach((key, node) -> nodeIds.put(key, node.id()));
              return workflows.replaceClaims(tx, workspaceId, id, nodeIds);
            });
  }

  private String input(JsonNode body) {
    JsonNode items;
    JsonNode given =
        body == null || body.isNull() || body.isMissingNode() ? null : body.get("input");
    if (given == null || given.isNull()) {
      items = mapper.createArrayNode().add(mapper.createObjectNode());
    } else if (given.isObject()) {
      items = mapper.createArrayNode().add(given);
    } else if (given.isArray() && allObjects(given)) {
      items = given;
    } else {
      throw new ProblemException(
          Problem.of(400, "input is one item (a JSON object) or a list of items.")
              .withErrors(List.of(new FieldError("/input", "an object or an array of objects"))));
    }
    String text;
    try {
      text = mapper.writeValueAsString(items);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    if (text.getBytes(StandardCharsets.UTF_8).length > maxInputBytes) {
      throw new ProblemException(
          Problem.of(413, "The input is larger than " + maxInputBytes + " bytes.")
              .withErrors(
                  List.of(new FieldError("/input", "at most " + maxInputBytes + " bytes"))));
    }
    return text;
  }

  private static boolean allObjects(JsonNode array) {
    for (JsonNode item : array) {
      if (!item.isObject()) {
        return false;
      }
    }
    return true;
  }

  static ProblemException invalid(String detail, List<FieldError> errors) {
    return new ProblemException(Problem.of(422, detail).withErrors(errors));
  }

  static ProblemException notFound() {
    return new ProblemException(404, "No such workflow in this workspace.");
  }
}
