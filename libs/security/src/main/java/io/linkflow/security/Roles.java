package io.linkflow.security;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A member's role in a workspace. Roles are ordered: each one includes every lower one, so an
 * endpoint names the lowest role it needs ({@code @RolesAllowed(Roles.EDITOR)}) and owners and
 * admins pass too. Tokens carry only the member's own role in {@code groups}; {@link
 * CallerAugmentor} adds the implied ones.
 */
public final class Roles {

  public static final String OWNER = "owner";
  public static final String ADMIN = "admin";
  public static final String EDITOR = "editor";
  public static final String VIEWER = "viewer";

  /** Highest first. */
  public static final List<String> ORDER = List.of(OWNER, ADMIN, EDITOR, VIEWER);

  private Roles() {}

  public static boolean isRole(String role) {
    return ORDER.contains(role);
  }

  /** {@code role} and every role below it; unknown names imply nothing. */
  public static Set<String> implied(String role) {
    int rank = ORDER.indexOf(role);
    return rank < 0 ? Set.of() : Set.copyOf(ORDER.subList(rank, ORDER.size()));
  }

  /** The roles and every role they imply. */
  public static Set<String> implied(Set<String> roles) {
    Set<String> all = new LinkedHashSet<>();
    roles.forEach(role -> all.addAll(implied(role)));
    return all;
  }

  /** True when {@code role} is {@code other} or above it. */
  public static boolean atLeast(String role, String other) {
    int rank = ORDER.indexOf(role);
    int otherRank = ORDER.indexOf(other);
    return rank >= 0 && otherRank >= 0 && rank <= otherRank;
  }
}
