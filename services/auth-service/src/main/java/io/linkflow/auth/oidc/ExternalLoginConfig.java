package io.linkflow.auth.oidc;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Whether log-in with an external OpenID Connect provider is on ({@code
 * linkflow.auth.oidc.enabled}, env {@code LINKFLOW_OIDC_ENABLED}). The same switch enables the
 * {@value #TENANT} quarkus-oidc tenant and the HTTP permission that sends unauthenticated callers
 * to the provider.
 */
@ConfigMapping(prefix = "linkflow.auth.oidc")
public interface ExternalLoginConfig {

  /** The quarkus-oidc tenant ({@code quarkus.oidc.external.*}) of the external provider. */
  String TENANT = "external";

  @WithDefault("false")
  boolean enabled();
}
