package io.linkflow.auth;

import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.RedisServicePlatformContract;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

/** The platform contract of auth-service against real infrastructure. */
@QuarkusTest
@RealInfrastructure(database = "linkflow_auth", testIssuer = false)
class AuthServicePlatformTest extends RedisServicePlatformContract {

  AuthServicePlatformTest() {
    super("auth-service", List.of("database", "redis", "queue"));
  }
}
