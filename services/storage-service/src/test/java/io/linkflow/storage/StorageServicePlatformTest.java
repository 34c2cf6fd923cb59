package io.linkflow.storage;

import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.ServicePlatformContract;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

/** The platform contract of storage-service against real infrastructure. */
@QuarkusTest
@RealInfrastructure(database = "linkflow_storage", redis = false)
class StorageServicePlatformTest extends ServicePlatformContract {

  StorageServicePlatformTest() {
    super("storage-service", List.of("database", "queue"));
  }
}
