package io.linkflow.common.tenancy;

import io.linkflow.common.error.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.MDC;

/**
 * Who is calling and in which workspace, for the current request. The security layer fills it once
 * the caller is authenticated; every repository query takes its workspace id from here, never from
 * the request body or path. Setting it also puts {@code user_id} and {@code workspace_id} on every
 * log line of the request.
 */
@RequestScoped
public class TenantContext {

  private UUID workspaceId;
  private UUID userId;
  private Set<String> roles = Set.of();

  /** Records the authenticated caller. */
  public void set(UUID userId, UUID workspaceId, Set<String> roles) {
    this.userId = userId;
    this.workspaceId = workspaceId;
    this.roles = Set.copyOf(roles);
    if (userId != null) {
      MDC.put("user_id", userId.toString());
    }
    if (workspaceId != null) {
      MDC.put("workspace_id", workspaceId.toString());
    }
  }

  public Optional<UUID> workspaceId() {
    return Optional.ofNullable(workspaceId);
  }

  public Optional<UUID> userId() {
    return Optional.ofNullable(userId);
  }

  /** The caller's workspace; a request without one is unauthenticated (401). */
  public UUID requireWorkspace() {
    if (workspaceId == null) {
      throw new ProblemException(401, "Authentication with a workspace is required.");
    }
    return workspaceId;
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }
}
