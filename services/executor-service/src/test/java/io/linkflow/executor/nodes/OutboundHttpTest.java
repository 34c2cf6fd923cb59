package io.linkflow.executor.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.linkflow.executor.ExecutorConfig;
import io.linkflow.executor.run.RunControl;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Vertx;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's switch for private networks, which the service tests (run with it off) cannot
 * reach: with {@code linkflow.executor.http.allow-private-network=true} a node that sets {@code
 * allowPrivateNetwork} reaches a loopback server that is not allow-listed; a node that does not is
 * still refused.
 */
class OutboundHttpTest {

  private static HttpServer server;
  private static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
    vertx.close();
  }

  @Test
  void theOperatorsSwitchLetsANodeThatAsksReachPrivateAddresses() throws Exception {
    OutboundHttp http = new OutboundHttp(vertx, config(true), Optional.of(List.of()));
    URI local = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");

    OutboundHttp.Response response =
        http.send(request(local, true), new RunControl(UUID.randomUUID()));
    assertThat(response.status()).isEqualTo(200);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");

    assertThatThrownBy(() -> http.send(request(local, false), new RunControl(UUID.randomUUID())))
        .isInstanceOfSatisfying(
            OutboundHttp.CallException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(OutboundHttp.Failure.REFUSED);
              assertThat(e.getMessage()).startsWith("the host 127.0.0.1 is an internal address");
            });
  }

  @Test
  void withoutTheSwitchTheNodesWishIsRefusedWithAHintForTheOperator() {
    OutboundHttp http = new OutboundHttp(vertx, config(false), Optional.of(List.of()));
    URI local = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");

    assertThatThrownBy(() -> http.send(request(local, true), new RunControl(UUID.randomUUID())))
        .isInstanceOfSatisfying(
            OutboundHttp.CallException.class,
            e ->
                assertThat(e.getMessage())
                    .contains(
                        "an operator must set linkflow.executor.http.allow-private-network=true"));
  }

  private static OutboundHttp.Request request(URI uri, boolean allowPrivateNetwork) {
    return new OutboundHttp.Request(
        "GET", uri, Map.of(), Set.of(), null, 5000, true, allowPrivateNetwork);
  }

  private static ExecutorConfig config(boolean allowPrivateNetwork) {
    return new ExecutorConfig() {
      @Override
      public int concurrency() {
        return 1;
      }

      @Override
      public int backlog() {
        return 0;
      }

      @Override
      public MemorySize maxResultBytes() {
        return new MemorySize(BigInteger.valueOf(8 << 20));
      }

      @Override
      public Duration defaultTimeout() {
        return Duration.ofMinutes(5);
      }

      @Override
      public Duration shutdownGrace() {
        return Duration.ofSeconds(1);
      }

      @Override
      public Http http() {
        return new Http() {
          @Override
          public MemorySize maxResponseBytes() {
            return new MemorySize(BigInteger.valueOf(1 << 20));
          }

          @Override
          public boolean allowPrivateNetwork() {
            return allowPrivateNetwork;
          }

          @Override
          public int maxRedirects() {
            return 5;
          }

          @Override
          public int maxConnectionsPerHost() {
            return 4;
          }
        };
      }

      @Override
      public Code code() {
        throw new UnsupportedOperationException();
      }
    };
  }
}
