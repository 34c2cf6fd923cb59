package io.linkflow.schedule;

import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.RedisServicePlatformContract;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

/** The platform contract of schedule-service against real infrastructure. */
@QuarkusTest
@RealInfrastructure(database = "linkflow_schedule")
class ScheduleServicePlatformTest extends RedisServicePlatformContract {

  ScheduleServicePlatformTest() {
    super("schedule-service", List.of("database", "redis", "queue"));
  }
}
