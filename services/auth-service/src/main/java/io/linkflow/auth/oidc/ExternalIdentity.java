package io.linkflow.auth.oidc;

import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who the external provider says the person is, from its verified ID token.
 *
 * @param provider the provider's issuer ({@code iss})
 * @param subject the provider's stable id for the person ({@code sub})
 * @param email the e-mail address, or null when the provider did not share one
 * @param emailVerified whether the provider verified that address ({@code email_verified})
 */
public record ExternalIdentity(
    String provider, String subject, String email, boolean emailVerified) {

  /** Reads the identity claims of an ID token quarkus-oidc has verified. */
  public static ExternalIdentity of(JsonWebToken idToken) {
    String email = text(idToken.getClaim("email"));
    return new ExternalIdentity(
        idToken.getIssuer(),
        idToken.getSubject(),
        email == null || email.isBlank() ? null : email.trim(),
        isTrue(idToken.getClaim("email_verified")));
  }

  private static String text(Object claim) {
    if (claim instanceof JsonString json) {
      return json.getString();
    }
    return claim instanceof String string ? string : null;
  }

  /** A JSON true; also the string "true", which some providers send. */
  private static boolean isTrue(Object claim) {
    if (claim instanceof Boolean bool) {
      return bool;
    }
    if (claim instanceof JsonValue json && json.getValueType() == JsonValue.ValueType.TRUE) {
      return true;
    }
    String text = text(claim);
    return "true".equalsIgnoreCase(text);
  }
}
