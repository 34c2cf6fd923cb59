package io.linkflow.executor;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** executor-service settings ({@code linkflow.executor.*}); see the README for each. */
@ConfigMapping(prefix = "linkflow.executor")
public interface ExecutorConfig {

  /** Node runs at the same time (worker threads). */
  @WithDefault("16")
  int concurrency();

  /**
   * Commands accepted beyond {@link #concurrency()} and waiting for a worker; when both are full
   * the consumer stops reading until a run finishes.
   */
  @WithDefault("16")
  int backlog();

  /** Largest outcome (outputs, state or error as JSON) an executor publishes. */
  @WithDefault("8M")
  MemorySize maxResultBytes();

  /** Bound on a run whose command names neither a deadline nor a node timeout. */
  @WithDefault("5m")
  Duration defaultTimeout();

  /** How long a stopping executor waits for running nodes before leaving them to redelivery. */
  @WithDefault("10s")
  Duration shutdownGrace();

  Http http();

  Code code();

  /** The HTTP Request node. */
  interface Http {

    /** Largest response body read; a larger one fails the node. */
    @WithDefault("1M")
    MemorySize maxResponseBytes();

    /** Whether a node's {@code allowPrivateNetwork: true} may reach internal addresses. */
    @WithDefault("false")
    boolean allowPrivateNetwork();

    /** Redirects followed at most when {@code followRedirects} is on. */
    @WithDefault("5")
    int maxRedirects();

    /** Connections kept per host. */
    @WithDefault("32")
    int maxConnectionsPerHost();
  }

  /** The Code node (GraalJS). */
  interface Code {

    /** JavaScript statements one run may execute (all items together). */
    @WithDefault("1000000000")
    long statementLimit();

    /**
     * The allocation budget of a run is {@code memoryMb} × this factor bytes allocated by its
     * thread (see the README: what the memory bound measures).
     */
    @WithDefault("4")
    int allocationFactor();

    /** console.log lines kept per run (reported with a failure). */
    @WithDefault("100")
    int maxConsoleLines();
  }
}
