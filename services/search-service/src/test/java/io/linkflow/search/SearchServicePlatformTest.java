package io.linkflow.search;

import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.ServicePlatformContract;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

/** The platform contract of search-service against real infrastructure. */
@QuarkusTest
@RealInfrastructure(database = "", postgres = false, redis = false)
class SearchServicePlatformTest extends ServicePlatformContract {

  SearchServicePlatformTest() {
    super("search-service", List.of("queue"));
  }
}
