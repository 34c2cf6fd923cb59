package io.linkflow.auth.client;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Service clients that may obtain tokens with the client-credentials grant: {@code
 * linkflow.auth.clients.<id>.secret} and {@code .scopes}. A client without a secret is disabled.
 */
@ConfigMapping(prefix = "linkflow.auth.clients")
public interface ServiceClientsConfig {

  @WithParentName
  Map<String, Client> clients();

  /** One client. */
  interface Client {
    /** The shared secret (from a Kubernetes Secret or the local stack's secrets file). */
    Optional<String> secret();

    /** The scopes it may ask for. */
    @WithDefault("")
    List<String> scopes();
  }
}
