package io.linkflow.testing;

import io.quarkus.test.common.QuarkusTestResourceConfigurableLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts the servers a {@link RealInfrastructure} test asks for and hands Quarkus their addresses:
 * the reactive and JDBC (Flyway) datasource URLs, Kafka's bootstrap servers and Redis' host.
 */
public class RealInfrastructureResource
    implements QuarkusTestResourceConfigurableLifecycleManager<RealInfrastructure> {

  private RealInfrastructure settings;

  @Override
  public void init(RealInfrastructure annotation) {
    this.settings = annotation;
  }

  @Override
  public Map<String, String> start() {
    Map<String, String> config = new HashMap<>();
    if (settings == null || settings.postgres()) {
      String database = settings == null ? "linkflow_test" : settings.database();
      EmbeddedPostgres pg = Infrastructure.postgres(database);
      String hostPort = "localhost:" + pg.getPort() + "/" + database;
      config.put("quarkus.datasource.reactive.url", "postgresql://" + hostPort);
      config.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://" + hostPort);
      config.put("quarkus.datasource.username", "postgres");
      config.put("quarkus.datasource.password", "postgres");
    }
    if (settings == null || settings.kafka()) {
      config.put("kafka.bootstrap.servers", Infrastructure.kafkaBootstrapServers());
    }
    if (settings == null || settings.redis()) {
      config.put("quarkus.redis.hosts", "redis://127.0.0.1:" + Infrastructure.redisPort());
    }
    if (settings == null || settings.testIssuer()) {
      config.put("linkflow.auth.url", TestIssuer.get().url());
      config.put("quarkus.oidc.token.issuer", TestIssuer.ISSUER);
      config.put("quarkus.oidc.token.audience", TestIssuer.AUDIENCE);
    }
    return config;
  }

  @Override
  public void stop() {
    // The servers are shared by every test class of this JVM; a shutdown hook stops them.
  }
}
