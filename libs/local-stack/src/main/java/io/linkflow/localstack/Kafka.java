package io.linkflow.localstack;

import io.linkflow.events.Topic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/** Kafka 4 in KRaft combined mode (broker + controller) as its own JVM. */
public final class Kafka extends InfraComponent {

  /** The broker's JVM options; LINKFLOW_KAFKA_JVM_OPTS replaces them. */
  static final String DEFAULT_JVM_OPTS =
      "-Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20"
          + " -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent"
          + " -XX:MaxMetaspaceSize=128m -Xss512k";

  public Kafka(Home home) {
    super(home);
  }

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public int port() {
    return Home.intEnv("LINKFLOW_KAFKA_PORT", 9092);
  }

  int controllerPort() {
    return Home.intEnv("LINKFLOW_KAFKA_CONTROLLER_PORT", 9093);
  }

  @Override
  public String address() {
    return "localhost:" + port();
  }

  private Path dataDir() {
    return home.data("kafka");
  }

  private Path writeProperties() {
    Path file = home.conf().resolve("kafka.properties");
    String text =
        String.join(
            "\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@127.0.0.1:" + controllerPort(),
            "listeners=PLAINTEXT://127.0.0.1:"
                + port()
                + ",CONTROLLER://127.0.0.1:"
                + controllerPort(),
            "advertised.listeners=PLAINTEXT://localhost:" + port(),
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            "log.dirs=" + dataDir(),
            "num.partitions=1",
            "default.replication.factor=1",
            "min.insync.replicas=1",
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=10",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "auto.create.topics.enable=false",
            "group.initial.rebalance.delay.ms=0",
            "num.network.threads=2",
            "num.io.threads=4",
            "background.threads=4",
            "log.retention.check.interval.ms=300000",
            "");
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  @Override
  protected void spawn() {
    Path properties = writeProperties();
    List<String> jvm =
        new ArrayList<>(
            List.of(
                Procs.javaBin(),
                "-Dlogback.configurationFile=" + logbackConfig(),
                "-Djava.awt.headless=true"));
    // G1 with Kafka's own settings (kafka-run-class.sh), on a smaller heap: every produce and fetch
    // of every service waits on the broker, which keeps about 185 MB live under load. With SerialGC
    // its old generation stood 99.9 % full after a few benches, one stop-the-world collection of
    // the whole heap away from stalling the platform; with G1, 20 minutes of make bench paused it
    // at most 72 ms, nearly always under 35 ms.
    jvm.addAll(jvmOpts("LINKFLOW_KAFKA_JVM_OPTS", DEFAULT_JVM_OPTS));
    jvm.addAll(List.of("-cp", classpath()));
    if (!Files.exists(dataDir().resolve("meta.properties"))) {
      List<String> format = new ArrayList<>(jvm);
      format.addAll(
          List.of(
              "kafka.tools.StorageTool",
              "format",
              "--cluster-id",
              Uuid.randomUuid().toString(),
              "--config",
              properties.toString(),
              "--ignore-formatted"));
      int exit = Procs.runAndWait(format, home.root(), log(), Duration.ofMinutes(2));
      if (exit != 0) {
        throw failure("storage format failed (exit " + exit + ")");
      }
    }
    List<String> command = new ArrayList<>(jvm);
    command.addAll(List.of("kafka.Kafka", properties.toString()));
    Procs.startDetached(command, home.root(), log(), pidFile(), Map.of());
  }

  Admin admin() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + port());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
    p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
    return Admin.create(p);
  }

  @Override
  protected boolean ready() {
    if (!Procs.portOpen(port())) {
      return false;
    }
    try (Admin admin = admin()) {
      return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  protected void afterReady() {
    try (Admin admin = admin()) {
      Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (Topic topic : Topic.values()) {
        if (!existing.contains(topic.topicName())) {
          missing.add(
              new NewTopic(topic.topicName(), topic.partitions(), (short) 1)
                  .configs(topic.configs()));
        }
      }
      if (!missing.isEmpty()) {
        try {
          admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      // topics of an earlier run keep their settings unless told: bring them to today's
      Map<ConfigResource, java.util.Collection<AlterConfigOp>> updates = new java.util.HashMap<>();
      for (Topic topic : Topic.values()) {
        if (existing.contains(topic.topicName())) {
          updates.put(
              new ConfigResource(ConfigResource.Type.TOPIC, topic.topicName()),
              topic.configs().entrySet().stream()
                  .map(
                      c ->
                          new AlterConfigOp(
                              new ConfigEntry(c.getKey(), c.getValue()), AlterConfigOp.OpType.SET))
                  .toList());
        }
      }
      if (!updates.isEmpty()) {
        admin.incrementalAlterConfigs(updates).all().get(60, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException("Cannot create the Kafka topics: " + e, e);
    }
  }
}
