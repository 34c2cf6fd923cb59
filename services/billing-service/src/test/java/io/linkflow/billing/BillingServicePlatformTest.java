package io.linkflow.billing;

import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.ServicePlatformContract;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

/** The platform contract of billing-service against real infrastructure. */
@QuarkusTest
@RealInfrastructure(database = "linkflow_billing", redis = false)
class BillingServicePlatformTest extends ServicePlatformContract {

  BillingServicePlatformTest() {
    super("billing-service", List.of("database", "queue"));
  }
}
