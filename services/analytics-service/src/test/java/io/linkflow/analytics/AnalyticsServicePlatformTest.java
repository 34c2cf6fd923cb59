package io.linkflow.analytics;

import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.ServicePlatformContract;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

/** The platform contract of analytics-service against real infrastructure. */
@QuarkusTest
@RealInfrastructure(database = "linkflow_analytics", redis = false)
class AnalyticsServicePlatformTest extends ServicePlatformContract {

  AnalyticsServicePlatformTest() {
    super("analytics-service", List.of("database", "queue"));
  }
}
