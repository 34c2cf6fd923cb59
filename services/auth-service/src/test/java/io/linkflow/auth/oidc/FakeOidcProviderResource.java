package io.linkflow.auth.oidc;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts the {@link FakeOidcProvider} and turns external log-in on against it: the {@code external}
 * tenant's provider URL and client credentials.
 */
public class FakeOidcProviderResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    FakeOidcProvider provider = FakeOidcProvider.get();
    return Map.of(
        "linkflow.auth.oidc.enabled",
        "true",
        "quarkus.oidc.external.auth-server-url",
        provider.issuer(),
        "quarkus.oidc.external.client-id",
        FakeOidcProvider.CLIENT_ID,
        "quarkus.oidc.external.credentials.secret",
        FakeOidcProvider.CLIENT_SECRET);
  }

  @Override
  public void stop() {
    // One provider per test JVM, like the rest of the test infrastructure; its threads are daemons.
  }
}
