package io.linkflow.auth.session;

/**
 * Where a request came from, recorded on the sessions it starts.
 *
 * @param ip the client address (X-Forwarded-For only from trusted proxies)
 * @param userAgent the User-Agent header, cut to 256 characters
 */
public record ClientInfo(String ip, String userAgent) {

  public ClientInfo {
    if (userAgent != null && userAgent.length() > 256) {
      userAgent = userAgent.substring(0, 256);
    }
  }

  public static ClientInfo unknown() {
    return new ClientInfo(null, null);
  }
}
