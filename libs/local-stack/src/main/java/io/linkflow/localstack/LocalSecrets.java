package io.linkflow.localstack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Secrets the services need locally (key-encryption keys and the like), generated at random on
 * first use into {@code .linkflow/conf/secrets.properties} (mode 600) and passed to the services as
 * environment variables. Nothing secret is ever committed; in Kubernetes the same variables come
 * from a Secret.
 */
final class LocalSecrets {

  /** Environment variable → size in random bytes (base64-encoded). */
  static final Map<String, Integer> GENERATED =
      Map.of(
          "LINKFLOW_AUTH_KEY_ENCRYPTION_KEY", 32,
          // client-credentials secrets of the service clients auth-service knows
          "LINKFLOW_AUTH_CLIENT_EXECUTOR_SECRET", 32,
          "LINKFLOW_AUTH_CLIENT_OPERATOR_SECRET", 32,
          "LINKFLOW_AUTH_CLIENT_EXECUTION_SECRET", 32,
          "LINKFLOW_AUTH_CLIENT_WEBHOOK_SECRET", 32,
          "LINKFLOW_AUTH_CLIENT_SCHEDULE_SECRET", 32,
          // envelope-encryption master keys, as <id>:<base64> (libs/security EnvelopeCipher)
          "LINKFLOW_VARIABLE_MASTER_KEYS", 32,
          "LINKFLOW_CREDENTIAL_MASTER_KEYS", 32,
          "LINKFLOW_WEBHOOK_MASTER_KEYS", 32);

  private LocalSecrets() {}

  static Map<String, String> load(Home home) {
    Path file = home.conf().resolve("secrets.properties");
    Properties properties = new Properties();
    try {
      if (Files.exists(file)) {
        try (Reader in = Files.newBufferedReader(file)) {
          properties.load(in);
        }
      }
      boolean changed = false;
      SecureRandom random = new SecureRandom();
      for (Map.Entry<String, Integer> secret : GENERATED.entrySet()) {
        if (!properties.containsKey(secret.getKey())) {
          byte[] bytes = new byte[secret.getValue()];
          random.nextBytes(bytes);
          String encoded = Base64.getEncoder().encodeToString(bytes);
          properties.setProperty(
              secret.getKey(), secret.getKey().endsWith("_MASTER_KEYS") ? "1:" + encoded : encoded);
          changed = true;
        }
      }
      if (changed) {
        Files.createDirectories(file.getParent());
        if (!Files.exists(file)) {
          Files.createFile(
              file,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try (Writer out = Files.newBufferedWriter(file)) {
          properties.store(out, "Generated local secrets; never commit. Delete to regenerate.");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write " + file, e);
    }
    Map<String, String> env = new LinkedHashMap<>();
    properties.stringPropertyNames().forEach(k -> env.put(k, properties.getProperty(k)));
    return env;
  }
}
