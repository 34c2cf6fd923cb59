package io.linkflow.credential;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.common.error.Problem;
import io.linkflow.common.error.ProblemException;
import io.linkflow.events.EventTypes;
import io.linkflow.nodes.CredentialType;
import io.linkflow.security.crypto.CiphertextRejectedException;
import io.linkflow.security.crypto.EnvelopeCipher;
import io.linkflow.security.crypto.Secrets;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The OAuth 2.0 authorization code flow with PKCE (RFC 6749 §4.1, RFC 7636 S256) that connects an
 * {@code oauth2AuthorizationCode} credential: {@link #authorize} answers the provider URL to send
 * the browser to, with a random single-use {@code state} (stored only as its SHA-256, expiring,
 * bound to the credential, its workspace and the person) and a code challenge whose verifier is
 * stored sealed; {@link #callback} consumes the state, exchanges the code at the token endpoint and
 * stores the tokens sealed ({@code credential.connected}).
 */
@ApplicationScoped
public class OAuth2Flow {

  /** Where to send the browser, and until when the authorization may complete. */
  public record Authorization(String authorizationUrl, Instant expiresAt) {}

  /** A completed connection. */
  public record Connected(UUID credentialId, String name, String status) {}

  private record Pending(
      UUID credentialId, UUID workspaceId, String startedBy, String verifier, String redirectUri) {}

  private final Pool pool;
  private final CredentialRepository credentials;
  private final CredentialService service;
  private final CredentialSecrets secrets;
  private final CredentialEvents events;
  private final OAuth2Client client;
  private final String redirectUri;
  private final Duration stateTtl;

  public OAuth2Flow(
      Pool pool,
      CredentialRepository credentials,
      CredentialService service,
      CredentialSecrets secrets,
      CredentialEvents events,
      OAuth2Client client,
      @ConfigProperty(name = "linkflow.credential.oauth2.redirect-uri") String redirectUri,
      @ConfigProperty(name = "linkflow.credential.oauth2.state-ttl", defaultValue = "10m")
          Duration stateTtl) {
    this.pool = pool;
    this.credentials = credentials;
    this.service = service;
    this.secrets = secrets;
    this.events = events;
    this.client = client;
    this.redirectUri = redirectUri;
    this.stateTtl = stateTtl;
  }

  public Uni<Authorization> authorize(UUID workspaceId, UUID id, String actor) {
    String state = Secrets.newSecret();
    String stateHash = Secrets.sha256Hex(state);
    String verifier = Secrets.newSecret();
    Instant expiresAt = Instant.now().plus(stateTtl);
    return pool.withTransaction(
        tx ->
            credentials
                .require(tx, workspaceId, id, false)
                .flatMap(
                    credential -> {
                      requireAuthorizationCode(credential);
                      ObjectNode data = service.open(credential);
                      byte[] sealed = secrets.sealVerifier(workspaceId, stateHash, verifier);
                      Map<String, String> query = new LinkedHashMap<>();
                      query.put("response_type", "code");
                      query.put("client_id", data.path("clientId").asText());
                      query.put("redirect_uri", redirectUri);
                      query.put("state", state);
                      query.put("code_challenge", challenge(verifier));
                      query.put("code_challenge_method", "S256");
                      String scope = data.path("scope").asText("");
                      if (!scope.isBlank()) {
                        query.put("scope", scope);
                      }
                      String base = data.path("authorizationUrl").asText();
                      String url =
                          base + (base.contains("?") ? "&" : "?") + OAuth2Client.query(query);
                      return tx.preparedQuery(
                              "INSERT INTO oauth2_authorization (state_hash, credential_id,"
                                  + " workspace_id, started_by, verifier_sealed, master_key_id,"
                                  + " redirect_uri, expires_at)"
                                  + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                          .execute(
                              Tuple.from(
                                  new Object[] {
                                    stateHash,
                                    id,
                                    workspaceId,
                                    actor,
                                    Buffer.buffer(sealed),
                                    EnvelopeCipher.masterKeyId(sealed),
                                    redirectUri,
                                    expiresAt.atOffset(ZoneOffset.UTC)
                                  }))
                          .replaceWith(new Authorization(url, expiresAt));
                    }));
  }

  /**
   * The provider's redirect: {@code state} is consumed whatever happens next (single use); then the
   * provider's error, or the code exchanged for tokens. Every failure is a 400 problem, except an
   * unreachable or failing token endpoint (502).
   */
  public Uni<Connected> callback(String code, String state, String error, String errorDescription) {
    if (state == null || state.isBlank()) {
      return Uni.createFrom().failure(badRequest("The state parameter is missing."));
    }
    return consume(Secrets.sha256Hex(state))
        .flatMap(
            pending -> {
              if (error != null && !error.isBlank()) {
                return Uni.createFrom()
                    .failure(
                        badRequest(
                            "The provider did not authorize the connection: "
                                + shorten(error)
                                + (errorDescription == null || errorDescription.isBlank()
                                    ? ""
                                    : " (" + shorten(errorDescription) + ")")));
              }
              if (code == null || code.isBlank()) {
                return Uni.createFrom().failure(badRequest("The code parameter is missing."));
              }
              return pool.withConnection(
                      c ->
                          credentials.find(c, pending.workspaceId(), pending.credentialId(), false))
                  .flatMap(
                      found -> {
                        StoredCredential credential =
                            found.orElseThrow(() -> badRequest("The credential no longer exists."));
                        ObjectNode data = service.open(credential);
                        Map<String, String> form = new LinkedHashMap<>();
                        form.put("grant_type", "authorization_code");
                        form.put("code", code);
                        form.put("redirect_uri", pending.redirectUri());
                        form.put("code_verifier", pending.verifier());
                        clientCredentials(data, form);
                        return client
                            .token(data.path("tokenUrl").asText(), form)
                            .onFailure(OAuth2Client.TokenEndpointException.class)
                            .transform(
                                e ->
                                    ((OAuth2Client.TokenEndpointException) e).refused()
                                        ? badRequest(
                                            "The token endpoint refused the authorization code: "
                                                + e.getMessage())
                                        : new ProblemException(
                                            502,
                                            "The provider's token endpoint failed: "
                                                + e.getMessage()))
                            .flatMap(
                                tokens ->
                                    storeTokens(
                                        pending.workspaceId(),
                                        pending.credentialId(),
                                        tokens,
                                        pending.startedBy(),
                                        true));
                      })
                  .map(stored -> new Connected(stored.id(), stored.name(), stored.status()));
            });
  }

  /**
   * Merges fresh tokens into the credential's current fields (locked, so a concurrent edit is not
   * lost) and marks it ready; with {@code announce}, {@code credential.connected}.
   */
  Uni<StoredCredential> storeTokens(
      UUID workspaceId, UUID id, OAuth2Client.Tokens tokens, String actor, boolean announce) {
    return pool.withTransaction(
        tx ->
            credentials
                .find(tx, workspaceId, id, true)
                .flatMap(
                    found -> {
                      StoredCredential current =
                          found.orElseThrow(() -> badRequest("The credential no longer exists."));
                      CredentialType type = CredentialService.typeOf(current);
                      ObjectNode data = service.open(current);
                      data.put("accessToken", tokens.accessToken());
                      if (tokens.refreshToken() != null) {
                        data.put("refreshToken", tokens.refreshToken());
                      }
                      if (tokens.expiresIn() != null) {
                        data.put(
                            "expiresAt", Instant.now().plusSeconds(tokens.expiresIn()).toString());
                      } else {
                        data.remove("expiresAt");
                      }
                      CredentialRepository.Fields stored =
                          service.stored(
                              workspaceId, id, type, current.name(), Credential.READY, null, data);
                      return credentials
                          .update(tx, workspaceId, id, current.version(), stored, actor)
                          .flatMap(ignored -> credentials.require(tx, workspaceId, id, false))
                          .call(
                              updated ->
                                  announce
                                      ? events.changed(
                                          tx,
                                          EventTypes.CREDENTIAL_CONNECTED_V1,
                                          updated,
                                          actor,
                                          Map.of())
                                      : Uni.createFrom().voidItem());
                    }));
  }

  /** The client id, and the client secret when the credential has one, as form parameters. */
  static void clientCredentials(ObjectNode data, Map<String, String> form) {
    form.put("client_id", data.path("clientId").asText());
    if (data.hasNonNull("clientSecret") && !data.get("clientSecret").asText().isEmpty()) {
      form.put("client_secret", data.get("clientSecret").asText());
    }
  }

  /** The PKCE S256 code challenge: base64url(SHA-256(ASCII(verifier))), no padding. */
  static String challenge(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deletes the pending authorization of {@code stateHash} (committed) and answers it. */
  private Uni<Pending> consume(String stateHash) {
    return pool.withTransaction(
            tx ->
                tx.preparedQuery(
                        "DELETE FROM oauth2_authorization WHERE state_hash = $1"
                            + " RETURNING credential_id, workspace_id, started_by,"
                            + " verifier_sealed, redirect_uri, expires_at")
                    .execute(Tuple.of(stateHash)))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw badRequest("Unknown or already used state: start the authorization again.");
              }
              Row row = rows.iterator().next();
              OffsetDateTime expiresAt = row.getOffsetDateTime("expires_at");
              if (expiresAt.toInstant().isBefore(Instant.now())) {
                throw badRequest("The authorization expired: start it again.");
              }
              UUID workspaceId = row.getUUID("workspace_id");
              String verifier;
              try {
                verifier =
                    secrets.openVerifier(
                        workspaceId, stateHash, row.getBuffer("verifier_sealed").getBytes());
              } catch (CiphertextRejectedException e) {
                throw CredentialService.undecryptable();
              }
              return new Pending(
                  row.getUUID("credential_id"),
                  workspaceId,
                  row.getString("started_by"),
                  verifier,
                  row.getString("redirect_uri"));
            });
  }

  private static void requireAuthorizationCode(StoredCredential credential) {
    if (!CredentialFields.OAUTH2_AUTHORIZATION_CODE.equals(credential.type())) {
      throw new ProblemException(
          400,
          "Only credentials of type "
              + CredentialFields.OAUTH2_AUTHORIZATION_CODE
              + " are connected through an authorization; this one is "
              + credential.type()
              + ".");
    }
  }

  private static ProblemException badRequest(String detail) {
    return new ProblemException(Problem.of(400, detail));
  }

  private static String shorten(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }
}
