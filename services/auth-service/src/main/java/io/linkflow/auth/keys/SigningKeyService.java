package io.linkflow.auth.keys;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;

/**
 * The token signing keys: one RS256 key signs at a time. A rotation publishes the next key in the
 * JWKS {@code linkflow.auth.signing-key-publish-lead} before it starts signing, so verifiers that
 * cache the JWKS know it before they meet it; retired keys stay published for the access-token
 * lifetime plus a clock-skew allowance, so a token signed just before a rotation keeps verifying
 * until it expires. The first key is created on first use and signs at once.
 */
@ApplicationScoped
public class SigningKeyService {

  private static final Logger LOG = Logger.getLogger(SigningKeyService.class);
  private static final Duration SKEW = Duration.ofMinutes(5);
  private static final Duration CACHE = Duration.ofSeconds(30);

  private final Pool pool;
  private final SigningKeyRepository repository;
  private final Duration accessTokenTtl;
  private final Duration publishLead;
  private final AtomicReference<Cached> cache = new AtomicReference<>();

  private record Cached(List<SigningKey> keys, Instant loadedAt) {}

  public SigningKeyService(
      Pool pool,
      SigningKeyRepository repository,
      @ConfigProperty(name = "linkflow.auth.access-token-ttl", defaultValue = "15m")
          Duration accessTokenTtl,
      @ConfigProperty(name = "linkflow.auth.signing-key-publish-lead", defaultValue = "60s")
          Duration publishLead) {
    this.pool = pool;
    this.repository = repository;
    this.accessTokenTtl = accessTokenTtl;
    this.publishLead = publishLead;
  }

  /** The key that signs new tokens now. */
  public Uni<SigningKey> active() {
    return published()
        .flatMap(
            keys ->
                signer(keys)
                    .map(key -> Uni.createFrom().item(key))
                    .orElseGet(
                        () ->
                            keys.isEmpty()
                                ? createFirst()
                                // a pending key just became due while the cache was warm
                                : reload().map(fresh -> signer(fresh).orElseThrow())));
  }

  private static java.util.Optional<SigningKey> signer(List<SigningKey> keys) {
    Instant now = Instant.now();
    return keys.stream().filter(key -> key.signsAt(now)).findFirst();
  }

  /** The keys a verifier may meet: the active one and those retired recently enough. */
  public Uni<List<SigningKey>> published() {
    Cached cached = cache.get();
    if (cached != null && cached.loadedAt().plus(CACHE).isAfter(Instant.now())) {
      return Uni.createFrom().item(cached.keys());
    }
    return reload();
  }

  /**
   * Creates the next key: published at once, signing after the publish lead; the current one stays
   * published until its tokens expire.
   */
  public Uni<SigningKey> rotate() {
    SigningKey next = generate(Instant.now().plus(publishLead));
    return pool.withTransaction(tx -> repository.rotateTo(tx, next, false))
        .invoke(
            () ->
                LOG.infof(
                    "Signing key rotated: %s is published and signs from %s",
                    next.kid(), next.activatesAt()))
        .flatMap(ignored -> reload())
        .replaceWith(next);
  }

  /** The JWKS document: public halves only. */
  public Uni<Map<String, Object>> jwks() {
    return active()
        .flatMap(ignored -> published())
        .map(keys -> Map.of("keys", keys.stream().map(SigningKeyService::toJwk).toList()));
  }

  private Uni<SigningKey> createFirst() {
    SigningKey first = generate(Instant.now());
    // Another replica may create it at the same moment: the advisory lock lets only one insert.
    return pool.withTransaction(tx -> repository.rotateTo(tx, first, true))
        .flatMap(ignored -> reload())
        .map(keys -> signer(keys).orElseThrow());
  }

  private Uni<List<SigningKey>> reload() {
    Instant since = Instant.now().minus(accessTokenTtl).minus(SKEW);
    return repository
        .publishable(since)
        .invoke(keys -> cache.set(new Cached(List.copyOf(keys), Instant.now())));
  }

  private static SigningKey generate(Instant activatesAt) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair pair = generator.generateKeyPair();
      return new SigningKey(
          UUID.randomUUID().toString(),
          (RSAPublicKey) pair.getPublic(),
          (RSAPrivateKey) pair.getPrivate(),
          Instant.now(),
          activatesAt,
          null);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("RSA is not available", e);
    }
  }

  private static Map<String, Object> toJwk(SigningKey key) {
    RsaJsonWebKey jwk = new RsaJsonWebKey(key.publicKey());
    jwk.setKeyId(key.kid());
    jwk.setUse("sig");
    jwk.setAlgorithm("RS256");
    return jwk.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
  }
}
