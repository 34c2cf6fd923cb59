package io.linkflow.security.net;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which addresses a user-supplied URL may reach. */
class OutboundGuardTest {

  /** A fixed DNS: no network needed. */
  private static final Map<String, String> DNS =
      Map.of(
          "api.example.com", "93.184.216.34",
          "metadata.evil.example", "169.254.169.254",
          "rebind.evil.example", "10.1.2.3");

  private final OutboundGuard guard =
      new OutboundGuard(
          List.of("idp.internal.corp"),
          host -> {
            String ip = DNS.get(host);
            if (ip == null) {
              try {
                return new InetAddress[] {InetAddress.getByName(host)}; // literals only
              } catch (UnknownHostException e) {
                throw e;
              }
            }
            return new InetAddress[] {InetAddress.getByName(ip)};
          });

  @Test
  void publicAddressesPass() {
    assertThatCode(() -> guard.check(URI.create("https://api.example.com/oauth/token")))
        .doesNotThrowAnyException();
    assertThatCode(() -> guard.check(URI.create("http://8.8.8.8/x"))).doesNotThrowAnyException();
  }

  @Test
  void internalAddressesAreRefusedWithTheReason() {
    for (String url :
        List.of(
            "http://127.0.0.1:8101/api/v1/auth/token",
            "http://localhost/x",
            "http://169.254.169.254/latest/meta-data/",
            "http://metadata.evil.example/token",
            "http://rebind.evil.example/token",
            "http://10.0.0.5/x",
            "http://172.16.3.4/x",
            "http://192.168.1.1/x",
            "http://100.64.0.1/x",
            "http://0.0.0.0/x",
            "http://[::1]/x",
            "http://[fd00::1]/x",
            "http://[fe80::1]/x",
            "http://[::ffff:127.0.0.1]/x")) {
      assertThatThrownBy(() -> guard.check(URI.create(url)))
          .as(url)
          .isInstanceOf(OutboundGuard.RefusedException.class)
          .hasMessageContaining("internal address");
    }
  }

  @Test
  void onlyHttpAndHttpsWithAHost() {
    assertThatThrownBy(() -> guard.check(URI.create("file:///etc/passwd")))
        .hasMessageContaining("http and https");
    assertThatThrownBy(() -> guard.check(URI.create("gopher://api.example.com/")))
        .hasMessageContaining("http and https");
  }

  @Test
  void anAllowedHostIsCalledWhateverItResolvesTo() {
    assertThatCode(() -> guard.check(URI.create("https://IDP.internal.corp/token")))
        .doesNotThrowAnyException();
  }
}
