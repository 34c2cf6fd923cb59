package io.linkflow.credential;

import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.ServicePlatformContract;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

/** The platform contract of credential-service against real infrastructure. */
@QuarkusTest
@RealInfrastructure(database = "linkflow_credential", redis = false)
class CredentialServicePlatformTest extends ServicePlatformContract {

  CredentialServicePlatformTest() {
    super("credential-service", List.of("database", "queue"));
  }
}
