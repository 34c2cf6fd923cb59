package io.linkflow.notification;

import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.ServicePlatformContract;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

/** The platform contract of notification-service against real infrastructure. */
@QuarkusTest
@RealInfrastructure(database = "linkflow_notification", redis = false)
class NotificationServicePlatformTest extends ServicePlatformContract {

  NotificationServicePlatformTest() {
    super("notification-service", List.of("database", "queue"));
  }
}
