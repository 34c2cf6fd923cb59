package io.linkflow.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.jboss.logging.Logger;
import redis.embedded.RedisServer;

/**
 * The real servers of a test JVM: one PostgreSQL, one single-node Kafka and one Redis, each started
 * on first use and stopped when the JVM exits. Tests may stop and start Redis to observe how a
 * service reacts to a dependency going away.
 */
public final class Infrastructure {

  private static final Logger LOG = Logger.getLogger(Infrastructure.class);

  private static EmbeddedPostgres postgres;
  private static KafkaClusterTestKit kafka;
  private static RedisServer redis;
  private static int redisPort;

  private Infrastructure() {}

  /** PostgreSQL 17, with {@code database} created if it does not exist yet. */
  public static synchronized EmbeddedPostgres postgres(String database) {
    if (postgres == null) {
      long start = System.nanoTime();
      try {
        postgres =
            EmbeddedPostgres.builder()
                .setPGStartupWait(Duration.ofSeconds(30))
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException("PostgreSQL did not start", e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(Infrastructure::closePostgres));
      LOG.infof("PostgreSQL on port %d in %d ms", postgres.getPort(), millisSince(start));
    }
    if (database != null && !database.isBlank()) {
      createDatabase(database);
    }
    return postgres;
  }

  /** A single combined broker/controller Kafka node in KRaft mode. */
  public static synchronized String kafkaBootstrapServers() {
    if (kafka == null) {
      long start = System.nanoTime();
      try {
        Path dir = Files.createTempDirectory("linkflow-kafka");
        KafkaClusterTestKit cluster =
            new KafkaClusterTestKit.Builder(
                    new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .setBaseDirectory(dir)
                        .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "5")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "true")
                .setConfigProp("num.partitions", "3")
                .setDeleteOnClose(true)
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        kafka = cluster;
        createPlatformTopics();
      } catch (Exception e) {
        throw new IllegalStateException("Kafka did not start", e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(Infrastructure::closeKafka));
      LOG.infof("Kafka at %s in %d ms", kafka.bootstrapServers(), millisSince(start));
    }
    return kafka.bootstrapServers();
  }

  /** A Redis server; its port stays the same across {@link #stopRedis()} and restarts. */
  public static synchronized int redisPort() {
    if (redis == null) {
      if (redisPort == 0) {
        redisPort = freePort();
        Runtime.getRuntime().addShutdownHook(new Thread(Infrastructure::stopRedis));
      }
      try {
        redis =
            RedisServer.newRedisServer()
                .port(redisPort)
                .bind("127.0.0.1")
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
        redis.start();
      } catch (IOException e) {
        throw new UncheckedIOException("Redis did not start", e);
      }
      LOG.infof("Redis on port %d", redisPort);
    }
    return redisPort;
  }

  /** Stops Redis, as an outage would; {@link #redisPort()} starts it again on the same port. */
  public static synchronized void stopRedis() {
    if (redis != null) {
      try {
        redis.stop();
      } catch (IOException e) {
        LOG.warn("Redis did not stop cleanly", e);
      }
      redis = null;
    }
  }

  /**
   * Creates LinkFlow's topics before any test runs, as {@code make infra-up} and Strimzi do in real
   * life: relying on auto-creation races producers, consumers and the controller. The topics are
   * read from {@code io.linkflow.events.Topic} by name, since libs/events itself tests with this
   * library; partitions are capped at 3 to keep the test broker light.
   */
  private static void createPlatformTopics() throws Exception {
    Class<?> topicEnum;
    try {
      topicEnum = Class.forName("io.linkflow.events.Topic");
    } catch (ClassNotFoundException notOnClasspath) {
      return;
    }
    java.util.List<org.apache.kafka.clients.admin.NewTopic> topics = new java.util.ArrayList<>();
    for (Object constant : topicEnum.getEnumConstants()) {
      String name = (String) topicEnum.getMethod("topicName").invoke(constant);
      int partitions = (int) topicEnum.getMethod("partitions").invoke(constant);
      @SuppressWarnings("unchecked")
      java.util.Map<String, String> configs =
          (java.util.Map<String, String>) topicEnum.getMethod("configs").invoke(constant);
      topics.add(
          new org.apache.kafka.clients.admin.NewTopic(name, Math.min(partitions, 3), (short) 1)
              .configs(configs));
    }
    Properties props = new Properties();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(props)) {
      admin.createTopics(topics).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
      java.util.List<String> names = topics.stream().map(t -> t.name()).toList();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        boolean ready =
            admin
                .describeTopics(names)
                .allTopicNames()
                .get(10, java.util.concurrent.TimeUnit.SECONDS)
                .values()
                .stream()
                .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null));
        if (ready) {
          return;
        }
        Thread.sleep(100);
      }
      throw new IllegalStateException("topics have no leaders after 30 s");
    }
  }

  /** Properties for a plain Kafka client (producer, consumer, admin) of the test cluster. */
  public static Properties kafkaClientProperties() {
    Properties properties = new Properties();
    properties.put("bootstrap.servers", kafkaBootstrapServers());
    return properties;
  }

  private static void createDatabase(String database) {
    if (!database.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("not a plain database name: " + database);
    }
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      try (ResultSet exists =
          statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
        if (exists.next()) {
          return;
        }
      }
      statement.execute("CREATE DATABASE " + database);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("could not create database " + database, e);
    }
  }

  private static void closePostgres() {
    try {
      if (postgres != null) {
        postgres.close();
      }
    } catch (IOException e) {
      LOG.warn("PostgreSQL did not stop cleanly", e);
    }
  }

  private static void closeKafka() {
    try {
      if (kafka != null) {
        kafka.close();
      }
    } catch (Exception e) {
      LOG.warn("Kafka did not stop cleanly", e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
