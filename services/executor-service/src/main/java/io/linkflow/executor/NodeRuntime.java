package io.linkflow.executor;

import io.linkflow.engine.NodeContext;
import io.linkflow.engine.NodeRegistry;
import io.linkflow.engine.NodeRunner;
import io.linkflow.executor.nodes.CodeHandler;
import io.linkflow.executor.nodes.HttpRequestHandler;
import io.linkflow.expressions.Expressions;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import org.jboss.logging.Logger;

/** The node runtime of this executor: the built-in nodes plus HTTP Request and Code. */
@ApplicationScoped
public class NodeRuntime {

  private static final Logger LOG = Logger.getLogger(NodeRuntime.class);

  @Produces
  @Singleton
  NodeRunner runner(HttpRequestHandler http, CodeHandler code) {
    return new NodeRunner(
        NodeRegistry.builtIn().with(List.of(http, code)), NodeContext.defaults(new Expressions()));
  }

  /** Creates the JavaScript engine in the background, so the first Code node does not wait. */
  void warmUp(@Observes StartupEvent ignored, CodeHandler code) {
    Thread thread =
        new Thread(
            () -> {
              try {
                code.engineReady();
              } catch (RuntimeException | LinkageError e) {
                LOG.warnf("The JavaScript engine did not start: %s", e.toString());
              }
            },
            "code-engine-warm-up");
    thread.setDaemon(true);
    thread.start();
  }
}
