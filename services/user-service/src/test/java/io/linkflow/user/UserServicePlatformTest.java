package io.linkflow.user;

import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.ServicePlatformContract;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

/** The platform contract of user-service against real infrastructure. */
@QuarkusTest
@RealInfrastructure(database = "linkflow_user", redis = false)
class UserServicePlatformTest extends ServicePlatformContract {

  UserServicePlatformTest() {
    super("user-service", List.of("database", "queue"));
  }
}
