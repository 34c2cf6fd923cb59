package io.linkflow.audit;

import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.ServicePlatformContract;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

/** The platform contract of audit-service against real infrastructure. */
@QuarkusTest
@RealInfrastructure(database = "linkflow_audit", redis = false)
class AuditServicePlatformTest extends ServicePlatformContract {

  AuditServicePlatformTest() {
    super("audit-service", List.of("database", "queue"));
  }
}
