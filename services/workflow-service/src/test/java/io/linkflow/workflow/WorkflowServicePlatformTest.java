package io.linkflow.workflow;

import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.ServicePlatformContract;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

/** The platform contract of workflow-service against real infrastructure. */
@QuarkusTest
@RealInfrastructure(database = "linkflow_workflow", redis = false)
class WorkflowServicePlatformTest extends ServicePlatformContract {

  WorkflowServicePlatformTest() {
    super("workflow-service", List.of("database", "queue"));
  }
}
