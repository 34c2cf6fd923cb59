package io.linkflow.security.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EnvelopeCipherTest {

  private static final String KEY_1 = EnvelopeCipher.newMasterKey(1);
  private static final String KEY_2 = EnvelopeCipher.newMasterKey(2);
  private static final byte[] SECRET = bytes("{\"password\":\"hunter2\"}");
  private static final byte[] ROW = bytes("workspace-a/credential-42");

  @Test
  void aSecretRoundTripsAndIsNotStoredInTheClear() {
    EnvelopeCipher cipher = EnvelopeCipher.of(KEY_1, 1);
    byte[] sealed = cipher.encrypt(SECRET, ROW);

    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("hunter2");
    assertThat(cipher.decrypt(sealed, ROW)).isEqualTo(SECRET);
    assertThat(EnvelopeCipher.masterKeyId(sealed)).isEqualTo(1);
  }

  @Test
  void everyEncryptionUsesAFreshDataKeyAndNonce() {
    EnvelopeCipher cipher = EnvelopeCipher.of(KEY_1, 1);
    assertThat(cipher.encrypt(SECRET, ROW)).isNotEqualTo(cipher.encrypt(SECRET, ROW));
  }

  @Test
  void anyAlteredByteIsRejected() {
    EnvelopeCipher cipher = EnvelopeCipher.of(KEY_1, 1);
    byte[] sealed = cipher.encrypt(SECRET, ROW);
    for (int i = 0; i < sealed.length; i++) {
      byte[] tampered = sealed.clone();
      tampered[i] ^= 0x01;
      int at = i;
      assertThatThrownBy(() -> cipher.decrypt(tampered, ROW))
          .as("byte %d altered", at)
          .isInstanceOf(CiphertextRejectedException.class);
    }
  }

  @Test
  void aCiphertextMovedToAnotherRowIsRejected() {
    EnvelopeCipher cipher = EnvelopeCipher.of(KEY_1, 1);
    byte[] sealed = cipher.encrypt(SECRET, ROW);
    assertThatThrownBy(() -> cipher.decrypt(sealed, bytes("workspace-b/credential-42")))
        .isInstanceOf(CiphertextRejectedException.class);
  }

  @Test
  void rotationRewrapsUnderTheNewKeyAndTheOldKeyCanThenBeDropped() {
    EnvelopeCipher before = EnvelopeCipher.of(KEY_1, 1);
    byte[] sealed = before.encrypt(SECRET, ROW);

    // step 1: both keys configured, the new one primary; old ciphertexts still decrypt
    EnvelopeCipher during = EnvelopeCipher.of(KEY_1 + "," + KEY_2, 2);
    assertThat(during.decrypt(sealed, ROW)).isEqualTo(SECRET);
    byte[] rewrapped = during.rewrap(sealed);
    assertThat(EnvelopeCipher.masterKeyId(rewrapped)).isEqualTo(2);
    assertThat(during.rewrap(rewrapped)).isSameAs(rewrapped);

    // step 2: the old key is gone; rewrapped values decrypt, not-rewrapped ones are refused
    EnvelopeCipher after = EnvelopeCipher.of(KEY_2, 2);
    assertThat(after.decrypt(rewrapped, ROW)).isEqualTo(SECRET);
    assertThatThrownBy(() -> after.decrypt(sealed, ROW))
        .isInstanceOf(CiphertextRejectedException.class);
  }

  @Test
  void malformedConfigurationIsRefusedAtOnce() {
    assertThatThrownBy(() -> EnvelopeCipher.of("", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EnvelopeCipher.of(KEY_1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("primary");
    assertThatThrownBy(() -> EnvelopeCipher.of("1:c2hvcnQ=", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> EnvelopeCipher.of(KEY_1 + "," + KEY_1, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
