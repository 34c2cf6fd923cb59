package io.linkflow.auth.account;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The password rules, all listed back to the user when unmet: 12 to 128 characters, a letter, a
 * digit or symbol, and not built from the e-mail address.
 */
public final class PasswordPolicy {

  public static final int MIN_LENGTH = 12;
  public static final int MAX_LENGTH = 128;

  private PasswordPolicy() {}

  /** The rules {@code password} breaks; empty when it is acceptable. */
  public static List<String> unmetRules(String password, String email) {
    List<String> unmet = new ArrayList<>();
    String value = password == null ? "" : password;
    if (value.length() < MIN_LENGTH) {
      unmet.add("at least " + MIN_LENGTH + " characters");
    }
    if (value.length() > MAX_LENGTH) {
      unmet.add("at most " + MAX_LENGTH + " characters");
    }
    if (value.chars().noneMatch(Character::isLetter)) {
      unmet.add("at least one letter");
    }
    if (value.chars().allMatch(Character::isLetter)) {
      unmet.add("at least one digit or symbol");
    }
    if (email != null && email.contains("@")) {
      String local = email.substring(0, email.indexOf('@')).toLowerCase(Locale.ROOT);
      if (local.length() >= 4 && value.toLowerCase(Locale.ROOT).contains(local)) {
        unmet.add("must not contain the e-mail address");
      }
    }
    return unmet;
  }
}
