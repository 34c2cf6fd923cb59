package io.linkflow.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The platform contract plus what a Redis-using service must do when Redis goes away: readiness
 * turns 503 naming redis, and recovers by itself once Redis is back.
 */
public abstract class RedisServicePlatformContract extends ServicePlatformContract {

  protected RedisServicePlatformContract(String service, List<String> checks) {
    super(service, checks);
  }

  @Test
  void readinessFollowsARedisOutage() {
    try {
      Infrastructure.stopRedis();
      Response down = awaitReady(r -> r.statusCode() == 503);
      assertThat(down.jsonPath().getString("status")).isEqualTo("unhealthy");
      assertThat(down.jsonPath().getString("checks.redis")).startsWith("down");
      assertThat(down.jsonPath().getString("checks.database")).isEqualTo("ok");
    } finally {
      Infrastructure.redisPort();
    }
    Response up = awaitReady(r -> r.statusCode() == 200);
    assertThat(up.jsonPath().getString("checks.redis")).isEqualTo("ok");
  }

  private static Response awaitReady(Predicate<Response> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    Response last;
    do {
      last = given().get("/health/ready");
      if (condition.test(last)) {
        return last;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    } while (System.nanoTime() < deadline);
    throw new AssertionError("readiness never reached the expected state: " + last.asString());
  }
}
