package io.linkflow.workflow.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One immutable version. Lists leave out the graph ({@code nodes}, {@code connections}, {@code
 * settings} are null there).
 *
 * @param restoredFrom the version this one copies, when it was made by a restore
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Version(
    String id,
    String workflowId,
    int version,
    String name,
    Integer restoredFrom,
    String createdBy,
    OffsetDateTime createdAt,
    List<Node> nodes,
    List<Connection> connections,
    Settings settings) {}
