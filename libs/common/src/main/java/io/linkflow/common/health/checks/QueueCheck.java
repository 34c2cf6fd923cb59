package io.linkflow.common.health.checks;

import io.linkflow.common.health.DependencyCheck;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Named;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The Kafka cluster answers a describe-cluster request with at least one broker. */
@ApplicationScoped
@Named("queue")
public class QueueCheck implements DependencyCheck {

  private final String bootstrapServers;
  private final Duration timeout;
  private final Map<String, Object> kafkaConfig;
  private volatile AdminClient admin;

  public QueueCheck(
      @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "localhost:9092")
          String bootstrapServers,
      @ConfigProperty(name = "linkflow.health.timeout", defaultValue = "2s") Duration timeout,
      @Identifier("default-kafka-broker") Instance<Map<String, Object>> kafkaConfig) {
    this.bootstrapServers = bootstrapServers;
    this.timeout = timeout;
    this.kafkaConfig = kafkaConfig.isResolvable() ? kafkaConfig.get() : Map.of();
  }

  @Override
  public Uni<Void> probe() {
    DescribeClusterOptions options =
        new DescribeClusterOptions().timeoutMs((int) timeout.toMillis());
    return Uni.createFrom()
        .completionStage(() -> admin().describeCluster(options).nodes().toCompletionStage())
        .map(
            nodes -> {
              if (nodes.isEmpty()) {
                throw new IllegalStateException("no Kafka broker available");
              }
              return nodes;
            })
        .replaceWithVoid();
  }

  private AdminClient admin() {
    AdminClient current = admin;
    if (current == null) {
      synchronized (this) {
        if (admin == null) {
          Map<String, Object> config = new HashMap<>();
          kafkaConfig.forEach(
              (k, v) -> {
                if (AdminClientConfig.configNames().contains(k)) {
                  config.put(k, v);
                }
              });
          config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
          config.put(AdminClientConfig.CLIENT_ID_CONFIG, "linkflow-health");
          config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
          config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
          config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
          admin = AdminClient.create(config);
        }
        current = admin;
      }
    }
    return current;
  }

  @PreDestroy
  void close() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(2));
    }
  }
}
