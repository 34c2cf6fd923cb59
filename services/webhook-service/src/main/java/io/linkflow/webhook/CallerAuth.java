package io.linkflow.webhook;

import io.linkflow.clients.CredentialsClient;
import io.linkflow.clients.DecryptedCredential;
import io.linkflow.clients.InternalCallException;
import io.linkflow.common.error.ProblemException;
import io.linkflow.security.crypto.Secrets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Checks who calls a webhook whose trigger asks for it: {@code auth: basic} compares the {@code
 * Authorization: Basic} user and password with an httpBasicAuth credential, {@code auth: header}
 * the named header with an httpHeaderAuth credential. The credential is read through
 * credential-service's internal decrypt (audited there) and only a SHA-256 digest of what to expect
 * is kept, for {@code linkflow.webhook.credential-cache-ttl}; comparisons are constant-time. A
 * credential that cannot be read refuses the call (503): never open by accident.
 */
@ApplicationScoped
public class CallerAuth {

  private static final Logger LOG = Logger.getLogger(CallerAuth.class);

  /** What a caller must present, as digests: header name (lower case) and SHA-256 of the value. */
  record Expected(String header, String digest, long until) {}

  private final CredentialsClient credentials;
  private final MeterRegistry meters;
  private final long ttlMillis;
  private final Map<UUID, Expected> cache = new ConcurrentHashMap<>();

  public CallerAuth(
      CredentialsClient credentials,
      MeterRegistry meters,
      @ConfigProperty(name = "linkflow.webhook.credential-cache-ttl", defaultValue = "30s")
          Duration ttl) {
    this.credentials = credentials;
    this.meters = meters;
    this.ttlMillis = ttl.toMillis();
  }

  /** The credential type {@code auth} checks against, or null for {@code none}. */
  static String credentialType(String auth) {
    return switch (auth == null ? "none" : auth) {
      case "basic" -> "httpBasicAuth";
      case "header" -> "httpHeaderAuth";
      default -> null;
    };
  }

  /**
   * Completes when the caller may call {@code hook}, with the (lower-case) name of the header that
   * carried the credential for {@code auth: header} (kept out of the execution's data), else null;
   * fails with 401 or 503 otherwise.
   */
  public Uni<String> check(Webhook hook, HttpHeaders headers) {
    String type = credentialType(hook.auth());
    if (type == null) {
      return Uni.createFrom().nullItem();
    }
    if (hook.credentialId() == null) {
      count("no_credential");
      return Uni.createFrom()
          .failure(
              new ProblemException(
                  503,
                  "This webhook requires caller authentication ("
                      + hook.auth()
                      + ") but its trigger names no "
                      + type
                      + " credential; the request was not accepted."));
    }
    return expected(hook, type)
        .map(
            expected -> {
              String presented = presented(hook.auth(), expected.header(), headers);
              if (presented == null
                  || !Secrets.constantTimeEquals(expected.digest(), Secrets.sha256Hex(presented))) {
                count("refused");
                ProblemException refused =
                    new ProblemException(
                        401,
                        presented == null
                            ? "This webhook requires "
                                + ("basic".equals(hook.auth())
                                    ? "HTTP Basic authentication."
                                    : "the " + expected.header() + " header.")
                            : "The credentials presented do not match.");
                throw "basic".equals(hook.auth())
                    ? refused.withHeader("WWW-Authenticate", "Basic realm=\"LinkFlow webhook\"")
                    : refused;
              }
              count("accepted");
              return "header".equals(hook.auth()) ? expected.header() : null;
            });
  }

  private Uni<Expected> expected(Webhook hook, String type) {
    long now = System.currentTimeMillis();
    Expected cached = cache.get(hook.credentialId());
    if (cached != null && cached.until() > now) {
      return Uni.createFrom().item(cached);
    }
    return credentials
        .decrypt(hook.workspaceId().toString(), hook.credentialId().toString(), null)
        .onFailure()
        .transform(
            e -> {
              count("credential_unavailable");
              LOG.warnf(
                  "Webhook %s %s of workspace %s: its %s credential %s cannot be read: %s",
                  hook.method(),
                  hook.path(),
                  hook.workspaceId(),
                  type,
                  hook.credentialId(),
                  e instanceof InternalCallException ? e.getMessage() : e.toString());
              return new ProblemException(
                      503,
                      "This webhook's caller credential cannot be read right now; the request was"
                          + " not accepted.")
                  .withHeader("Retry-After", "5");
            })
        .map(
            credential -> {
              Expected expected = digest(hook, type, credential, now + ttlMillis);
              if (ttlMillis > 0) {
                cache.put(hook.credentialId(), expected);
              }
              return expected;
            });
  }

  private Expected digest(Webhook hook, String type, DecryptedCredential credential, long until) {
    if (!type.equals(credential.type())) {
      count("credential_unavailable");
      throw new ProblemException(
          503,
          "This webhook's caller credential is a "
              + credential.type()
              + ", not an "
              + type
              + "; the request was not accepted.");
    }
    if ("httpBasicAuth".equals(type)) {
      String userPassword =
          credential.field("user") + ":" + nullToEmpty(credential.field("password"));
      return new Expected("authorization", Secrets.sha256Hex(userPassword), until);
    }
    String name = credential.field("name");
    return new Expected(
        name == null ? "x-api-key" : name.toLowerCase(java.util.Locale.ROOT),
        Secrets.sha256Hex(nullToEmpty(credential.field("value"))),
        until);
  }

  /** What the caller presented: {@code user:password} of a Basic header, or the header's value. */
  private static String presented(String auth, String header, HttpHeaders headers) {
    if ("basic".equals(auth)) {
      String value = headers.getHeaderString("Authorization");
      if (value == null || !value.regionMatches(true, 0, "Basic ", 0, 6)) {
        return null;
      }
      try {
        return new String(
            Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return headers.getHeaderString(header);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private void count(String outcome) {
    Counter.builder("webhook_caller_auth_total")
        .description("Caller authentication checks of webhooks with auth basic|header, by outcome")
        .tag("outcome", outcome)
        .register(meters)
        .increment();
  }
}
