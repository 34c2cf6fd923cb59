package io.linkflow.variable;

import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.ServicePlatformContract;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

/** The platform contract of variable-service against real infrastructure. */
@QuarkusTest
@RealInfrastructure(database = "linkflow_variable", redis = false)
class VariableServicePlatformTest extends ServicePlatformContract {

  VariableServicePlatformTest() {
    super("variable-service", List.of("database", "queue"));
  }
}
