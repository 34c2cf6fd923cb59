package io.linkflow.common.tenancy;

import io.linkflow.common.error.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.MDC;

/**
 * Who is calling and in which workspace, for the current request. The security layer
 * (libs/security) fills it once the caller is authenticated; every repository query takes its
 * workspace id from here, never from the request body or path. Setting it also puts {@code user_id}
 * and {@code workspace_id} on every log line of the request.
 */
@RequestScoped
public class TenantContext {

  private String principal;
  private UUID workspaceId;
  private UUID userId;
  private Set<String> roles = Set.of();

  /**
   * Records the authenticated caller.
   *
   * @param principal the token subject: an account id, or {@code service:<name>} for a service
   * @param userId the account id, null for a service
   * @param workspaceId the workspace the token is for, null for a service token
   * @param roles the caller's roles in that workspace, lower roles included
   */
  public void set(String principal, UUID userId, UUID workspaceId, Set<String> roles) {
    this.principal = principal;
    this.userId = userId;
    this.workspaceId = workspaceId;
    this.roles = Set.copyOf(roles);
    MDC.put("user_id", principal);
    if (workspaceId != null) {
      MDC.put("workspace_id", workspaceId.toString());
    }
  }

  public Optional<String> principal() {
    return Optional.ofNullable(principal);
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

  /** The calling person; a service or anonymous caller gets 401. */
  public UUID requireUser() {
    if (userId == null) {
      throw new ProblemException(401, "Authentication as a person is required.");
    }
    return userId;
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }

  /**
   * 403 unless the caller holds {@code role} (lower roles are implied by higher ones). For
   * endpoints that also need a scope: Quarkus allows one security annotation per method, so they
   * carry {@code @PermissionsAllowed} and check the role with this.
   */
  public void requireRole(String role) {
    if (!roles.contains(role)) {
      throw new ProblemException(
          403, "Your role or the token's scopes do not allow this operation in this workspace.");
    }
  }
}
