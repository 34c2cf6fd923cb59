package io.linkflow.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** s3proxy with the filesystem backend as its own JVM; bucket {@code linkflow-files}. */
public final class S3 extends InfraComponent {

  public static final String IDENTITY = "linkflow";
  public static final String CREDENTIAL = "linkflow-secret";
  public static final String BUCKET = "linkflow-files";

  public S3(Home home) {
    super(home);
  }

  @Override
  public String name() {
    return "s3";
  }

  @Override
  public int port() {
    return Home.intEnv("LINKFLOW_S3_PORT", 9000);
  }

  @Override
  public String address() {
    return "http://localhost:" + port();
  }

  @Override
  public String details() {
    return address() + "  (key " + IDENTITY + " / " + CREDENTIAL + ", bucket " + BUCKET + ")";
  }

  @Override
  protected void spawn() {
    Path base = home.data("s3");
    // For the filesystem backend a bucket is a directory.
    Home.dir(base.resolve(BUCKET));
    Path properties = home.conf().resolve("s3proxy.properties");
    try {
      Files.writeString(
          properties,
          String.join(
              "\n",
              "s3proxy.endpoint=http://127.0.0.1:" + port(),
              "s3proxy.authorization=aws-v2-or-v4",
              "s3proxy.identity=" + IDENTITY,
              "s3proxy.credential=" + CREDENTIAL,
              "s3proxy.jetty.max-threads=24",
              "jclouds.provider=filesystem",
              "jclouds.identity=" + IDENTITY,
              "jclouds.credential=" + CREDENTIAL,
              "jclouds.filesystem.basedir=" + base,
              ""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> command =
        new ArrayList<>(List.of(Procs.javaBin(), "-Dlogback.configurationFile=" + logbackConfig()));
    command.addAll(
        jvmOpts(
            "LINKFLOW_S3_JVM_OPTS",
            "-Xms16m -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k"));
    command.addAll(
        List.of(
            "-cp", classpath(), "org.gaul.s3proxy.Main", "--properties", properties.toString()));
    Procs.startDetached(command, home.root(), log(), pidFile(), Map.of());
  }

  @Override
  protected boolean ready() {
    if (!Procs.portOpen(port())) {
      return false;
    }
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      HttpResponse<Void> response =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() > 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
