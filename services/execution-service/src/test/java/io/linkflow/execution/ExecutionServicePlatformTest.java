package io.linkflow.execution;

import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.ServicePlatformContract;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

/** The platform contract of execution-service against real infrastructure. */
@QuarkusTest
@RealInfrastructure(database = "linkflow_execution", redis = false)
class ExecutionServicePlatformTest extends ServicePlatformContract {

  ExecutionServicePlatformTest() {
    super("execution-service", List.of("database", "queue"));
  }
}
