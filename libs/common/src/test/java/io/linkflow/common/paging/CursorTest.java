package io.linkflow.common.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linkflow.common.error.ProblemException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CursorTest {

  @Test
  void roundTripsThroughItsOpaqueForm() {
    Cursor cursor = new Cursor("2026-11-23T00:00:00Z", "6f1c");
    assertThat(cursor.encode()).doesNotContain("2026");
    assertThat(Cursor.decode(cursor.encode())).isEqualTo(cursor);
  }

  @Test
  void aForgedCursorIsA400() {
    assertThatThrownBy(() -> Cursor.decode("%%%"))
        .isInstanceOf(ProblemException.class)
        .satisfies(e -> assertThat(((ProblemException) e).problem().status()).isEqualTo(400));
    assertThatThrownBy(() -> Cursor.decode("bm9zZXBhcmF0b3I")).isInstanceOf(ProblemException.class);
  }

  @Test
  void limitOutsideBoundsIsA400() {
    assertThatThrownBy(() -> PageRequest.of(0, null)).isInstanceOf(ProblemException.class);
    assertThatThrownBy(() -> PageRequest.of(101, null)).isInstanceOf(ProblemException.class);
    assertThat(PageRequest.of(null, null).limit()).isEqualTo(PageRequest.DEFAULT_LIMIT);
  }

  @Test
  void pageKeepsLimitItemsAndPointsAfterTheLastOne() {
    PageRequest request = PageRequest.of(2, null);
    Page<String> page = Page.of(List.of("a", "b", "c"), request, s -> new Cursor(s, s));
    assertThat(page.items()).containsExactly("a", "b");
    assertThat(Cursor.decode(page.nextCursor())).isEqualTo(new Cursor("b", "b"));

    Page<String> last = Page.of(List.of("d"), request, s -> new Cursor(s, s));
    assertThat(last.nextCursor()).isNull();
  }
}
