package io.linkflow.common.paging;

import io.linkflow.common.error.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * An opaque keyset cursor: the sort key and id of the last item of a page, base64url-encoded.
 * Clients pass it back unchanged as {@code ?cursor=}; anything that does not decode is a 400.
 *
 * @param sortKey the value of the sort column of the last item (e.g. an ISO instant)
 * @param id the id of the last item, breaking ties between equal sort keys
 */
public record Cursor(String sortKey, String id) {

  private static final char SEPARATOR = '\n';

  public Cursor {
    if (sortKey == null || id == null) {
      throw new IllegalArgumentException("a cursor needs a sort key and an id");
    }
    if (sortKey.indexOf(SEPARATOR) >= 0 || id.indexOf(SEPARATOR) >= 0) {
      throw new IllegalArgumentException("a cursor value cannot contain a line break");
    }
  }

  public String encode() {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((sortKey + SEPARATOR + id).getBytes(StandardCharsets.UTF_8));
  }

  /** Decodes a cursor a client sent back; a tampered or truncated one is a 400 problem. */
  public static Cursor decode(String encoded) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
      int at = raw.indexOf(SEPARATOR);
      if (at < 0) {
        throw new IllegalArgumentException("no separator");
      }
      return new Cursor(raw.substring(0, at), raw.substring(at + 1));
    } catch (IllegalArgumentException e) {
      throw new ProblemException(400, "The cursor is not one this API issued.");
    }
  }
}
