package io.linkflow.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/** redis-server from the embedded-redis jar, run detached without persistence. */
public final class Redis extends InfraComponent {

  public Redis(Home home) {
    super(home);
  }

  @Override
  public String name() {
    return "redis";
  }

  @Override
  protected String program() {
    return "redis-server";
  }

  @Override
  public int port() {
    return Home.intEnv("LINKFLOW_REDIS_PORT", 6379);
  }

  @Override
  public String address() {
    return "localhost:" + port();
  }

  static String resource() {
    String arch = System.getProperty("os.arch");
    return arch.equals("aarch64") || arch.equals("arm64")
        ? "redis-server-6.2.7-linux-arm64"
        : "redis-server-6.2.6-v5-linux-amd64";
  }

  Path binary() {
    Path target = home.bin("redis").resolve("redis-server");
    if (Files.isExecutable(target)) {
      return target;
    }
    try (InputStream in = Redis.class.getClassLoader().getResourceAsStream(resource())) {
      if (in == null) {
        throw new IllegalStateException(
            resource()
                + " not on the classpath: com.github.codemonstur:embedded-redis is missing.");
      }
      Path tmp = target.resolveSibling("redis-server.tmp");
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      tmp.toFile().setExecutable(true, false);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected void spawn() {
    List<String> command =
        List.of(
            binary().toString(),
            "--port",
            Integer.toString(port()),
            "--bind",
            "127.0.0.1",
            "--dir",
            home.data("redis").toString(),
            "--save",
            "",
            "--appendonly",
            "no",
            "--protected-mode",
            "no",
            "--daemonize",
            "no");
    Procs.startDetached(command, home.root(), log(), pidFile(), Map.of());
  }

  @Override
  protected boolean ready() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port()), 500);
      socket.setSoTimeout(1000);
      socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] buf = new byte[16];
      int n = socket.getInputStream().read(buf);
      return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }
}
