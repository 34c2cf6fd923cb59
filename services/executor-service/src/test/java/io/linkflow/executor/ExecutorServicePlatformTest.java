package io.linkflow.executor;

import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.ServicePlatformContract;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

/** The platform contract of executor-service against real infrastructure. */
@QuarkusTest
@RealInfrastructure(database = "", postgres = false, redis = false)
class ExecutorServicePlatformTest extends ServicePlatformContract {

  ExecutorServicePlatformTest() {
    super("executor-service", List.of("queue"));
  }
}
