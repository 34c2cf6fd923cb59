package io.linkflow.security.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.aead.KmsEnvelopeAead;
import com.google.crypto.tink.util.SecretBytes;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Envelope encryption for secrets at rest (credentials, secret variables), with Google Tink: every
 * value gets its own random AES-256-GCM data key; the data key is encrypted ("wrapped") by the
 * primary master key (AES-256-GCM, from configuration) and stored with the ciphertext, tagged with
 * the master key's id. Associated data (e.g. workspace and record id) binds a ciphertext to its
 * row: moved elsewhere, or altered in any byte, it is rejected.
 *
 * <p>Master keys are given as {@code <id>:<base64 of 32 bytes>} pairs, comma separated, plus the id
 * of the primary one. Rotation without downtime: add a new key and make it primary (old ciphertexts
 * still decrypt with the old key), {@link #rewrap} every stored value, then drop the old key.
 */
public final class EnvelopeCipher {

  private static final byte[] NO_ASSOCIATED_DATA = new byte[0];
  private static final AesGcmParameters AES256_GCM_TINK;
  private static final AesGcmParameters AES256_GCM_RAW;

  static {
    try {
      AeadConfig.register();
      AES256_GCM_TINK =
          AesGcmParameters.builder()
              .setKeySizeBytes(32)
              .setIvSizeBytes(12)
              .setTagSizeBytes(16)
              .setVariant(AesGcmParameters.Variant.TINK)
              .build();
      AES256_GCM_RAW =
          AesGcmParameters.builder()
              .setKeySizeBytes(32)
              .setIvSizeBytes(12)
              .setTagSizeBytes(16)
              .setVariant(AesGcmParameters.Variant.NO_PREFIX)
              .build();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Aead master;
  private final Aead envelope;
  private final int primaryKeyId;

  private EnvelopeCipher(Aead master, int primaryKeyId) throws GeneralSecurityException {
    this.master = master;
    this.envelope = KmsEnvelopeAead.create(AES256_GCM_RAW, master);
    this.primaryKeyId = primaryKeyId;
  }

  /**
   * @param masterKeys {@code <id>:<base64 32 bytes>[,<id>:<base64 32 bytes>…]}, ids positive
   *     integers
   * @param primaryKeyId the id of the key that wraps new data keys
   * @throws IllegalArgumentException when the keys are malformed or the primary is not among them
   */
  public static EnvelopeCipher of(String masterKeys, int primaryKeyId) {
    Map<Integer, byte[]> keys = parse(masterKeys);
    if (!keys.containsKey(primaryKeyId)) {
      throw new IllegalArgumentException(
          "the primary master key " + primaryKeyId + " is not among the configured keys");
    }
    try {
      KeysetHandle.Builder keyset = KeysetHandle.newBuilder();
      for (Map.Entry<Integer, byte[]> key : keys.entrySet()) {
        AesGcmKey aesKey =
            AesGcmKey.builder()
                .setParameters(AES256_GCM_TINK)
                .setKeyBytes(SecretBytes.copyFrom(key.getValue(), InsecureSecretKeyAccess.get()))
                .setIdRequirement(key.getKey())
                .build();
        KeysetHandle.Builder.Entry entry = KeysetHandle.importKey(aesKey).withFixedId(key.getKey());
        if (key.getKey() == primaryKeyId) {
          entry.makePrimary();
        }
        keyset.addEntry(entry);
      }
      Aead master = keyset.build().getPrimitive(RegistryConfiguration.get(), Aead.class);
      return new EnvelopeCipher(master, primaryKeyId);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the master keys cannot be used: " + e.getMessage(), e);
    }
  }

  /** A fresh random key in the configuration format, e.g. for a new deployment. */
  public static String newMasterKey(int id) {
    byte[] bytes = new byte[32];
    new java.security.SecureRandom().nextBytes(bytes);
    return id + ":" + Base64.getEncoder().encodeToString(bytes);
  }

  public int primaryKeyId() {
    return primaryKeyId;
  }

  /** Encrypts {@code plaintext} under a new data key, bound to {@code associatedData}. */
  public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
    try {
      return envelope.encrypt(plaintext, associatedData);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("encryption failed", e);
    }
  }

  /**
   * Decrypts; {@link CiphertextRejectedException} when the ciphertext was altered, belongs to other
   * associated data, or its master key is not configured.
   */
  public byte[] decrypt(byte[] ciphertext, byte[] associatedData) {
    try {
      return envelope.decrypt(ciphertext, associatedData);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new CiphertextRejectedException(e);
    }
  }

  /** The id of the master key that wrapped this ciphertext's data key. */
  public static int masterKeyId(byte[] ciphertext) {
    ByteBuffer buffer = ByteBuffer.wrap(ciphertext);
    if (ciphertext.length < 9) {
      throw new CiphertextRejectedException(null);
    }
    buffer.getInt(); // wrapped data key length
    buffer.get(); // Tink output prefix version
    return buffer.getInt();
  }

  /**
   * The same ciphertext with its data key wrapped by the primary master key; the encrypted payload
   * is unchanged, so this is cheap and never exposes the plaintext. Already primary: returned as
   * is.
   */
  public byte[] rewrap(byte[] ciphertext) {
    if (masterKeyId(ciphertext) == primaryKeyId) {
      return ciphertext;
    }
    try {
      ByteBuffer buffer = ByteBuffer.wrap(ciphertext);
      int wrappedLength = buffer.getInt();
      if (wrappedLength <= 0 || wrappedLength > buffer.remaining()) {
        throw new CiphertextRejectedException(null);
      }
      byte[] wrapped = new byte[wrappedLength];
      buffer.get(wrapped);
      byte[] payload = new byte[buffer.remaining()];
      buffer.get(payload);
      byte[] dataKey = master.decrypt(wrapped, NO_ASSOCIATED_DATA);
      byte[] rewrapped = master.encrypt(dataKey, NO_ASSOCIATED_DATA);
      return ByteBuffer.allocate(4 + rewrapped.length + payload.length)
          .putInt(rewrapped.length)
          .put(rewrapped)
          .put(payload)
          .array();
    } catch (GeneralSecurityException e) {
      throw new CiphertextRejectedException(e);
    }
  }

  private static Map<Integer, byte[]> parse(String masterKeys) {
    if (masterKeys == null || masterKeys.isBlank()) {
      throw new IllegalArgumentException("no master keys configured");
    }
    Map<Integer, byte[]> keys = new LinkedHashMap<>();
    for (String part : masterKeys.split(",")) {
      String[] idAndKey = part.trim().split(":", 2);
      if (idAndKey.length != 2) {
        throw new IllegalArgumentException("a master key is not <id>:<base64>");
      }
      int id;
      byte[] bytes;
      try {
        id = Integer.parseInt(idAndKey[0].trim());
        bytes = Base64.getDecoder().decode(idAndKey[1].trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("a master key is not <positive id>:<base64>");
      }
      if (id <= 0 || bytes.length != 32 || keys.put(id, bytes) != null) {
        throw new IllegalArgumentException(
            "master key " + id + ": ids must be positive and unique, keys 32 bytes");
      }
    }
    return keys;
  }
}
