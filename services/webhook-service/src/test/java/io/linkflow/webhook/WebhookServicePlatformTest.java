package io.linkflow.webhook;

import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.RedisServicePlatformContract;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

/** The platform contract of webhook-service against real infrastructure. */
@QuarkusTest
@RealInfrastructure(database = "linkflow_webhook")
class WebhookServicePlatformTest extends RedisServicePlatformContract {

  WebhookServicePlatformTest() {
    super("webhook-service", List.of("database", "redis", "queue"));
  }
}
