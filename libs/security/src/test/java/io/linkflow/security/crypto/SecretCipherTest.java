package io.linkflow.security.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

  private static final String KEY_1 = EnvelopeCipher.newMasterKey(1);
  private static final String KEY_2 = EnvelopeCipher.newMasterKey(2);
  private static final UUID WORKSPACE = UUID.randomUUID();
  private static final UUID RECORD = UUID.randomUUID();

  @Test
  void aValueIsBoundToItsKindWorkspaceAndRecord() {
    SecretCipher cipher = SecretCipher.of("credential", KEY_1, 1);
    byte[] sealed = cipher.sealText(WORKSPACE, RECORD, "hunter2");

    assertThat(cipher.openText(WORKSPACE, RECORD, sealed)).isEqualTo("hunter2");
    assertThatThrownBy(() -> cipher.open(UUID.randomUUID(), RECORD, sealed))
        .isInstanceOf(CiphertextRejectedException.class);
    assertThatThrownBy(() -> cipher.open(WORKSPACE, UUID.randomUUID(), sealed))
        .isInstanceOf(CiphertextRejectedException.class);
    assertThatThrownBy(() -> cipher.forKind("variable").open(WORKSPACE, RECORD, sealed))
        .isInstanceOf(CiphertextRejectedException.class);
  }

  @Test
  void theBindingIsTheOneVariablesWereStoredWith() {
    SecretCipher cipher = SecretCipher.of("variable", KEY_1, 1);
    byte[] sealed =
        EnvelopeCipher.of(KEY_1, 1)
            .encrypt(
                "v".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                ("variable/" + WORKSPACE + "/" + RECORD)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(cipher.openText(WORKSPACE, RECORD, sealed)).isEqualTo("v");
  }

  @Test
  void rewrappedValuesOpenUnderTheNewPrimaryAlone() {
    byte[] sealed = SecretCipher.of("credential", KEY_1, 1).sealText(WORKSPACE, RECORD, "s3cret");
    SecretCipher rotated = SecretCipher.of("credential", KEY_1 + "," + KEY_2, 2);
    byte[] rewrapped = rotated.rewrap(sealed);

    assertThat(EnvelopeCipher.masterKeyId(rewrapped)).isEqualTo(2);
    assertThat(SecretCipher.of("credential", KEY_2, 2).openText(WORKSPACE, RECORD, rewrapped))
        .isEqualTo("s3cret");
  }

  @Test
  void missingKeysNameTheSettingAndItsVariable() {
    assertThatThrownBy(() -> SecretCipher.fromConfig("nothing-configured"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("linkflow.nothing-configured.master-keys")
        .hasMessageContaining("LINKFLOW_NOTHING-CONFIGURED_MASTER_KEYS");
  }

  @Test
  void sealedColumnsAcceptOnlyPlainIdentifiers() {
    assertThatThrownBy(() -> MasterKeyRewrapper.SealedColumn.of("variable; DROP TABLE x", "v", "k"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
