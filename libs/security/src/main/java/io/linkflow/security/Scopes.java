package io.linkflow.security;

import io.quarkus.security.StringPermission;
import java.security.Permission;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a token may be used for, in its {@code scope} claim (space separated). Tokens of people
 * carry {@link #API}: every public-API scope, limited only by their role. API keys carry the scopes
 * chosen at creation ({@code <area>:read} or {@code <area>:write}; write includes read). Service
 * tokens (client credentials) carry internal scopes such as {@link #CREDENTIALS_DECRYPT}, which
 * {@link #API} never grants.
 *
 * <p>Endpoints state the scope they need as a permission:
 * {@code @PermissionsAllowed("workflows:write")}; {@link CallerAugmentor} grants permissions from
 * the token's scopes.
 */
public final class Scopes {

  /** Everything a person may do through the public API (their role still applies). */
  public static final String API = "api";

  /** Internal: read a decrypted credential (the executor, when it runs a node). */
  public static final String CREDENTIALS_DECRYPT = "credentials:decrypt";

  /** Internal: rotate auth-service's token signing keys (the operator client). */
  public static final String SIGNING_KEYS_ROTATE = "signing-keys:rotate";

  /**
   * Internal: rewrap a service's secrets under its primary master key now (the operator client).
   */
  public static final String SECRETS_REWRAP = "secrets:rewrap";

  /** Internal: read any immutable workflow version (execution-service, to run what was pinned). */
  public static final String WORKFLOW_VERSIONS_READ = "workflow-versions:read";

  /**
   * Internal: read every variable of a workspace with secret values unsealed ({@code $vars} of a
   * run: the executor and execution-service). Not {@code variables:read}, which is the public-API
   * scope any member and API key may hold.
   */
  public static final String VARIABLE_VALUES_READ = "variable-values:read";

  /**
   * Internal: run a platform housekeeping job now (schedule-service, which times them: retention,
   * stale work, usage rollups).
   */
  public static final String HOUSEKEEPING_RUN = "housekeeping:run";

  /**
   * Internal: read the hourly usage rollups of execution-service (billing and analytics, and the
   * operator client). {@link #HOUSEKEEPING_RUN} reads them too.
   */
  public static final String USAGE_READ = "usage:read";

  /** The public-API areas an API key can be scoped to. */
  public static final List<String> AREAS =
      List.of(
          "workspace",
          "members",
          "workflows",
          "executions",
          "nodes",
          "credentials",
          "variables",
          "webhooks",
          "schedules",
          "notifications",
          "audit",
          "analytics",
          "search",
          "storage",
          "billing");

  /** Scopes only service clients may hold. */
  public static final Set<String> INTERNAL =
      Set.of(
          CREDENTIALS_DECRYPT,
          SIGNING_KEYS_ROTATE,
          SECRETS_REWRAP,
          WORKFLOW_VERSIONS_READ,
          VARIABLE_VALUES_READ,
          HOUSEKEEPING_RUN,
          USAGE_READ);

  private Scopes() {}

  /** The scopes of a {@code scope} claim value. */
  public static Set<String> parse(Object claim) {
    if (claim == null) {
      return Set.of();
    }
    return Arrays.stream(claim.toString().trim().split("\\s+"))
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /** True for a scope an API key may carry: {@code <area>:read} or {@code <area>:write}. */
  public static boolean isApiKeyScope(String scope) {
    int colon = scope.indexOf(':');
    if (colon < 0) {
      return false;
    }
    String action = scope.substring(colon + 1);
    return AREAS.contains(scope.substring(0, colon))
        && ("read".equals(action) || "write".equals(action));
  }

  /** Whether a caller with {@code scopes} holds {@code required}. */
  public static boolean grants(Set<String> scopes, Permission required) {
    if (!(required instanceof StringPermission permission)) {
      return false;
    }
    String area = permission.getName();
    String actions = permission.getActions();
    List<String> needed =
        actions == null || actions.isEmpty()
            ? List.of(area)
            : Arrays.stream(actions.split(",")).map(a -> area + ":" + a.trim()).toList();
    return needed.stream().allMatch(scope -> holds(scopes, scope));
  }

  private static boolean holds(Set<String> scopes, String scope) {
    if (scopes.contains(scope)) {
      return true;
    }
    if (INTERNAL.contains(scope)) {
      return false;
    }
    if (scopes.contains(API)) {
      return true;
    }
    // write includes read
    return scope.endsWith(":read")
        && scopes.contains(scope.substring(0, scope.length() - ":read".length()) + ":write");
  }
}
