package io.linkflow.auth.client;

import io.linkflow.auth.session.AccessTokenIssuer;
import io.linkflow.common.error.ProblemException;
import io.linkflow.security.Scopes;
import io.linkflow.security.crypto.Secrets;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The OAuth 2.0 client-credentials grant for service-to-service calls: a configured client proves
 * its secret and gets a short-lived token with {@code sub = service:<client>}, no workspace, and
 * the scopes it asked for (all of its scopes when it asked for none).
 */
@ApplicationScoped
public class ClientCredentials {

  private static final Logger LOG = Logger.getLogger(ClientCredentials.class);

  /** What the grant answers (RFC 6749 §5.1 names). */
  public record ServiceToken(
      String access_token, String token_type, long expires_in, String scope) {}

  private final ServiceClientsConfig config;
  private final AccessTokenIssuer issuer;
  private final Duration ttl;

  public ClientCredentials(
      ServiceClientsConfig config,
      AccessTokenIssuer issuer,
      @ConfigProperty(name = "linkflow.auth.service-token-ttl", defaultValue = "5m") Duration ttl) {
    this.config = config;
    this.issuer = issuer;
    this.ttl = ttl;
  }

  public Uni<ServiceToken> grant(String clientId, String clientSecret, String requestedScope) {
    ServiceClientsConfig.Client client = clientId == null ? null : config.clients().get(clientId);
    if (client == null
        || client.secret().isEmpty()
        || clientSecret == null
        || !Secrets.constantTimeEquals(client.secret().get(), clientSecret)) {
      LOG.warnf("Client credentials refused for client '%s'", clientId);
      throw new ProblemException(401, "The client id or secret is wrong.")
          .withHeader("WWW-Authenticate", "Basic realm=\"linkflow\"");
    }
    Set<String> allowed = new LinkedHashSet<>(client.scopes());
    Set<String> requested = Scopes.parse(requestedScope);
    Set<String> granted = requested.isEmpty() ? allowed : requested;
    if (!allowed.containsAll(granted)) {
      throw new ProblemException(
          400, "invalid_scope: this client may ask for " + String.join(" ", allowed) + ".");
    }
    String scope = String.join(" ", granted);
    return issuer
        .sign("service:" + clientId, null, Set.of(), scope, ttl, Map.of("client_id", clientId))
        .map(token -> new ServiceToken(token, "Bearer", ttl.toSeconds(), scope));
  }
}
