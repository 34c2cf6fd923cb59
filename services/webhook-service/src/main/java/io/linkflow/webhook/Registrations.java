package io.linkflow.webhook;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The webhooks of a (workspace, path), cached for {@code linkflow.webhook.registration-cache-ttl}
 * (1 s) so a busy webhook costs no query per request. The replica that handles a workflow event
 * forgets its workspace's entries at once; the others within the TTL — an activation or
 * deactivation reaches every replica within about a second.
 */
@ApplicationScoped
public class Registrations {

  /** Entries kept at most; the cache starts over when it grows past this. */
  static final int MAX_ENTRIES = 50_000;

  private record Key(UUID workspaceId, String path) {}

  private record Entry(List<Webhook> hooks, long expiresAt) {}

  private final Pool pool;
  private final WebhookRepository webhooks;
  private final long ttlNanos;
  private final ConcurrentHashMap<Key, Entry> cache = new ConcurrentHashMap<>();

  public Registrations(
      Pool pool,
      WebhookRepository webhooks,
      @ConfigProperty(name = "linkflow.webhook.registration-cache-ttl", defaultValue = "1s")
          Duration ttl) {
    this.pool = pool;
    this.webhooks = webhooks;
    this.ttlNanos = ttl.toNanos();
  }

  /** The webhooks on {@code path} in the workspace (empty: none), one per method. */
  public Uni<List<Webhook>> find(UUID workspaceId, String path) {
    Key key = new Key(workspaceId, path);
    Entry entry = cache.get(key);
    long now = System.nanoTime();
    if (entry != null && now - entry.expiresAt() < 0) {
      return Uni.createFrom().item(entry.hooks());
    }
    return pool.withConnection(c -> webhooks.find(c, workspaceId, path))
        .invoke(
            hooks -> {
              if (cache.size() >= MAX_ENTRIES) {
                cache.clear();
              }
              cache.put(key, new Entry(List.copyOf(hooks), System.nanoTime() + ttlNanos));
            });
  }

  /** Drops the cached entries of a workspace (its webhooks changed). */
  public void forget(UUID workspaceId) {
    cache.keySet().removeIf(k -> k.workspaceId().equals(workspaceId));
  }
}
