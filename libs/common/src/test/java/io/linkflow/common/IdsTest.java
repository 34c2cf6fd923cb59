package io.linkflow.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class IdsTest {

  @Test
  void idsAreVersion7AndCarryTheTimeTheyWereMade() {
    long before = Instant.now().toEpochMilli();
    UUID id = Ids.newId();
    long after = Instant.now().toEpochMilli();

    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2); // RFC 9562 variant
    long millis = id.getMostSignificantBits() >>> 16;
    assertThat(millis).isBetween(before, after);
  }

  @Test
  void idsMadeOneAfterAnotherSortOneAfterAnotherAsPostgresComparesThem() {
    List<UUID> made = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      made.add(Ids.newId());
    }
    // PostgreSQL orders uuid by its bytes, unsigned; compare the text form, which sorts the same.
    List<String> text = made.stream().map(UUID::toString).toList();
    assertThat(text).isSorted();
    assertThat(new HashSet<>(made)).hasSize(made.size());
  }

  @Test
  void idsStayUniqueAcrossThreads() throws Exception {
    Set<UUID> seen = ConcurrentHashMap.newKeySet();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (int t = 0; t < 8; t++) {
        pool.submit(
            () -> {
              for (int i = 0; i < 20_000; i++) {
                seen.add(Ids.newId());
              }
            });
      }
    }
    assertThat(seen).hasSize(8 * 20_000);
  }
}
