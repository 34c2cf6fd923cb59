package io.linkflow.security.net;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Server-side request forgery guard for calls to addresses a user typed (an OAuth2 token URL, an
 * HTTP Request node's URL): only http(s), and no host that resolves to a loopback, private,
 * link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, unique-local, multicast or
 * unspecified address — unless the host is listed in {@code linkflow.outbound.allowed-hosts} (for
 * an on-premise provider, or a local fake server in tests). Every address the name resolves to must
 * pass. Resolution blocks: call it off the event loop.
 *
 * <p>The check resolves the name once and the HTTP client resolves it again; a DNS answer that
 * changes between the two (rebinding) is not caught here — network policy (Istio egress) is the
 * second line.
 */
@ApplicationScoped
public class OutboundGuard {

  /** The address may not be called; the message says why, for the user who gave it. */
  public static final class RefusedException extends RuntimeException {
    RefusedException(String message) {
      super(message, null, false, false);
    }
  }

  /** Resolves a host name; replaced in tests. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final Set<String> allowedHosts;
  private final Resolver resolver;

  @Inject
  public OutboundGuard(
      @ConfigProperty(name = "linkflow.outbound.allowed-hosts") Optional<List<String>> allowed) {
    this(allowed.orElse(List.of()), InetAddress::getAllByName);
  }

  public OutboundGuard(List<String> allowedHosts, Resolver resolver) {
    this.allowedHosts =
        allowedHosts.stream()
            .map(h -> h.trim().toLowerCase(Locale.ROOT))
            .filter(h -> !h.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    this.resolver = resolver;
  }

  /** Checks {@code uri}; throws {@link RefusedException} when it may not be called. */
  public void check(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new RefusedException("only http and https URLs can be called");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new RefusedException("the URL has no host");
    }
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (allowedHosts.contains(bare.toLowerCase(Locale.ROOT))) {
      return;
    }
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(bare);
    } catch (UnknownHostException e) {
      throw new RefusedException("the host " + host + " is not known");
    }
    for (InetAddress address : addresses) {
      if (isInternal(address)) {
        throw new RefusedException(
            "the host "
                + host
                + " is an internal address ("
                + address.getHostAddress()
                + "); LinkFlow does not call private, loopback or link-local networks");
      }
    }
  }

  /** Whether an address belongs to a network a user must not reach through LinkFlow. */
  public static boolean isInternal(InetAddress address) {
    if (address.isLoopbackAddress()
        || address.isAnyLocalAddress()
        || address.isLinkLocalAddress()
        || address.isSiteLocalAddress()
        || address.isMulticastAddress()) {
      return true;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first == 0 // "this network"
          || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
          || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
          || (first == 198 && (second == 18 || second == 19)) // benchmarking
          || first >= 240; // reserved, broadcast
    }
    if (address instanceof Inet6Address) {
      int first = b[0] & 0xff;
      if ((first & 0xfe) == 0xfc) {
        return true; // unique local fc00::/7
      }
      boolean mapped = true; // ::ffff:a.b.c.d
      for (int i = 0; i < 10; i++) {
        mapped &= b[i] == 0;
      }
      if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
        try {
          return isInternal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (UnknownHostException e) {
          return true;
        }
      }
    }
    return false;
  }
}
