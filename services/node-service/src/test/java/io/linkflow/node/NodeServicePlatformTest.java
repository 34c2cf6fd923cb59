package io.linkflow.node;

import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.ServicePlatformContract;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

/** The platform contract of node-service against real infrastructure. */
@QuarkusTest
@RealInfrastructure(database = "linkflow_node", redis = false)
class NodeServicePlatformTest extends ServicePlatformContract {

  NodeServicePlatformTest() {
    super("node-service", List.of("database", "queue"));
  }
}
