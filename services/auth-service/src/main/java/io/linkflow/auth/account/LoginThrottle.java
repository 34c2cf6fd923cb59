package io.linkflow.auth.account;

import io.linkflow.common.error.ProblemException;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.keys.RedisKeyNotFoundException;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Brute-force protection for log-in, in Redis so every replica shares it: failed attempts are
 * counted per account and per client IP over a window; past the limit, log-in answers 429 with
 * {@code Retry-After} until the window ends. A success clears the account's count. While Redis is
 * unreachable the check lets attempts through (and says so in the log) rather than lock everyone
 * out.
 */
@ApplicationScoped
public class LoginThrottle {

  private static final Logger LOG = Logger.getLogger(LoginThrottle.class);

  private final ReactiveValueCommands<String, Long> counters;
  private final ReactiveKeyCommands<String> keys;
  private final int maxPerAccount;
  private final int maxPerIp;
  private final Duration window;

  public LoginThrottle(
      ReactiveRedisDataSource redis,
      @ConfigProperty(name = "linkflow.auth.login.max-failures-per-account", defaultValue = "5")
          int maxPerAccount,
      @ConfigProperty(name = "linkflow.auth.login.max-failures-per-ip", defaultValue = "20")
          int maxPerIp,
      @ConfigProperty(name = "linkflow.auth.login.window", defaultValue = "15m") Duration window) {
    this.counters = redis.value(Long.class);
    this.keys = redis.key();
    this.maxPerAccount = maxPerAccount;
    this.maxPerIp = maxPerIp;
    this.window = window;
  }

  /** Fails with 429 when the account or the IP has used up its attempts. */
  public Uni<Void> check(String email, String ip) {
    return blocked(accountKey(email), maxPerAccount)
        .flatMap(
            byAccount -> byAccount ? Uni.createFrom().item(true) : blocked(ipKey(ip), maxPerIp))
        .flatMap(
            isBlocked -> {
              if (!isBlocked) {
                return Uni.createFrom().voidItem();
              }
              return retryAfter(email, ip)
                  .map(
                      seconds -> {
                        throw new ProblemException(
                                429,
                                "Too many failed log-in attempts; try again in " + seconds + " s.")
                            .withHeader("Retry-After", Long.toString(seconds));
                      });
            })
        .onFailure(e -> !(e instanceof ProblemException))
        .recoverWithItem(
            e -> {
              LOG.warnf("Log-in throttle unavailable, attempt allowed: %s", e.getMessage());
              return null;
            });
  }

  public Uni<Void> recordFailure(String email, String ip) {
    return increment(accountKey(email))
        .flatMap(ignored -> increment(ipKey(ip)))
        .onFailure()
        .recoverWithItem(
            e -> {
              LOG.warnf("Log-in throttle unavailable, failure not counted: %s", e.getMessage());
              return null;
            });
  }

  public Uni<Void> recordSuccess(String email) {
    return keys.del(accountKey(email)).replaceWithVoid().onFailure().recoverWithNull();
  }

  private Uni<Boolean> blocked(String key, int max) {
    return counters.get(key).map(count -> count != null && count >= max);
  }

  private Uni<Void> increment(String key) {
    return counters
        .incr(key)
        .flatMap(
            count ->
                count == 1
                    ? keys.expire(key, window).replaceWithVoid()
                    : Uni.createFrom().voidItem());
  }

  private Uni<Long> retryAfter(String email, String ip) {
    return secondsLeft(accountKey(email))
        .flatMap(a -> secondsLeft(ipKey(ip)).map(b -> Math.max(1, Math.max(a, b))));
  }

  /** Seconds until the key expires; 0 when it does not exist (the client's ttl() throws then). */
  private Uni<Long> secondsLeft(String key) {
    return keys.ttl(key).onFailure(RedisKeyNotFoundException.class).recoverWithItem(0L);
  }

  private static String accountKey(String email) {
    return "linkflow:auth:login-failures:account:" + AccountRepository.normalize(email);
  }

  private static String ipKey(String ip) {
    return "linkflow:auth:login-failures:ip:" + ip;
  }
}
