package io.linkflow.workflow;

import io.linkflow.workflow.store.WorkflowRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Forgets idempotency keys of execute requests older than {@code
 * linkflow.workflow.idempotency-retention} (24 h): a client retrying within that window gets the
 * same execution; after it, the key may be reused.
 */
@ApplicationScoped
public class ExecuteRequestJanitor {

  private static final Logger LOG = Logger.getLogger(ExecuteRequestJanitor.class);

  private final Pool pool;
  private final WorkflowRepository workflows;
  private final Duration retention;

  public ExecuteRequestJanitor(
      Pool pool,
      WorkflowRepository workflows,
      @ConfigProperty(name = "linkflow.workflow.idempotency-retention", defaultValue = "24h")
          Duration retention) {
    this.pool = pool;
    this.workflows = workflows;
    this.retention = retention;
  }

  @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> forgetOldKeys() {
    return pool.withConnection(c -> workflows.forgetExecuteRequestsBefore(c, retention))
        .invoke(n -> LOG.debugf("Forgot %d idempotency keys older than %s", n, retention))
        .onFailure()
        .invoke(e -> LOG.warnf(e, "Forgetting old idempotency keys failed; will retry"))
        .onFailure()
        .recoverWithItem(0)
        .replaceWithVoid();
  }
}
