package io.linkflow.workflow.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Workflow settings; omitted values take the defaults of {@link #withDefaults()}.
 *
 * @param timezone IANA zone schedules and dates use, e.g. {@code Europe/Paris} (default UTC)
 * @param errorWorkflowId the workflow run when an execution of this one fails
 * @param executionTimeoutSeconds how long an execution may run, 1–604800 (default 3600)
 * @param saveExecutionData which executions keep their node data: {@code all}, {@code failed} or
 *     {@code none} (default all)
 * @param concurrencyLimit how many executions may run at once, 1–1000; unlimited when omitted
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Settings(
    String timezone,
    String errorWorkflowId,
    Integer executionTimeoutSeconds,
    String saveExecutionData,
    Integer concurrencyLimit) {

  public static final String DEFAULT_TIMEZONE = "UTC";
  public static final int DEFAULT_EXECUTION_TIMEOUT = 3600;
  public static final String DEFAULT_SAVE = "all";

  public Settings withDefaults() {
    return new Settings(
        timezone == null ? DEFAULT_TIMEZONE : timezone,
        errorWorkflowId,
        executionTimeoutSeconds == null ? DEFAULT_EXECUTION_TIMEOUT : executionTimeoutSeconds,
        saveExecutionData == null ? DEFAULT_SAVE : saveExecutionData,
        concurrencyLimit);
  }
}
