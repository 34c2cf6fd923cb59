package io.linkflow.testing;

import io.quarkus.test.common.WithTestResource;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a {@code @QuarkusTest} real PostgreSQL 17, Kafka (KRaft) and Redis, started inside the test
 * JVM from Maven artifacts (no Docker), and points the application's configuration at them. The
 * servers start once per test JVM and are shared by every test class that uses this annotation.
 *
 * <pre>{@code
 * @QuarkusTest
 * @RealInfrastructure(database = "linkflow_workflow")
 * class WorkflowResourceTest { ... }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@WithTestResource(RealInfrastructureResource.class)
public @interface RealInfrastructure {

  /** The database created for the service under test; empty for a service without one. */
  String database() default "linkflow_test";

  boolean postgres() default true;

  boolean kafka() default true;

  boolean redis() default true;

  /**
   * Verify tokens against the {@link TestIssuer} of this JVM (sets {@code linkflow.auth.url}); off
   * for auth-service, which verifies the tokens it issues itself.
   */
  boolean testIssuer() default true;
}
