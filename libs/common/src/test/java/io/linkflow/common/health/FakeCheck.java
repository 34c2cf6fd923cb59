package io.linkflow.common.health;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.concurrent.atomic.AtomicBoolean;

/** A dependency the test can take down and bring back. */
@ApplicationScoped
@Named("fake")
public class FakeCheck implements DependencyCheck {

  private final AtomicBoolean up = new AtomicBoolean(true);

  public void setUp(boolean value) {
    up.set(value);
  }

  @Override
  public Uni<Void> probe() {
    return up.get()
        ? Uni.createFrom().voidItem()
        : Uni.createFrom().failure(new IllegalStateException("connection refused"));
  }
}
