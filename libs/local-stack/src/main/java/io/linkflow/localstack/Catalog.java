package io.linkflow.localstack;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The sixteen LinkFlow services with their local ports: the one place the launcher knows them. */
public final class Catalog {

  /**
   * One service: short name (e.g. {@code workflow}), local HTTP port, whether it has a database.
   */
  public record Service(String name, int port, boolean hasDatabase) {

    /** Maven module directory and Kong service name, e.g. {@code workflow-service}. */
    public String id() {
      return name + "-service";
    }

    /** Database name, e.g. {@code linkflow_workflow}. */
    public String database() {
      return "linkflow_" + name;
    }

    public String moduleDir() {
      return "services/" + id();
    }
  }

  public static final List<Service> SERVICES =
      List.of(
          new Service("auth", 8101, true),
          new Service("user", 8102, true),
          new Service("workflow", 8103, true),
          new Service("execution", 8104, true),
          new Service("executor", 8105, false),
          new Service("node", 8106, true),
          new Service("credential", 8107, true),
          new Service("variable", 8108, true),
          new Service("webhook", 8109, true),
          new Service("schedule", 8110, true),
          new Service("notification", 8111, true),
          new Service("audit", 8112, true),
          new Service("analytics", 8113, true),
          new Service("search", 8114, false),
          new Service("storage", 8115, true),
          new Service("billing", 8116, true));

  private Catalog() {}

  public static List<Service> withDatabase() {
    return SERVICES.stream().filter(Service::hasDatabase).toList();
  }

  /** Looks a service up by short name ({@code auth}) or id ({@code auth-service}). */
  public static Optional<Service> find(String nameOrId) {
    return SERVICES.stream()
        .filter(s -> s.name().equals(nameOrId) || s.id().equals(nameOrId))
        .findFirst();
  }

  /** Kong service name ({@code <name>-service}) to local port, for the edge. */
  public static Map<String, Integer> localPortsByServiceId() {
    return SERVICES.stream().collect(Collectors.toMap(Service::id, Service::port));
  }
}
