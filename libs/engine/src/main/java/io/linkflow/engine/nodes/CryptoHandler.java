package io.linkflow.engine.nodes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.linkflow.engine.Items;
import io.linkflow.engine.NodeContext;
import io.linkflow.engine.NodeException;
import io.linkflow.engine.NodeHandler;
import io.linkflow.engine.NodeResult;
import io.linkflow.engine.NodeRun;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Crypto / Hash, per item: writes to {@code outputField} (dotted) of a copy of the item
 *
 * <ul>
 *   <li>{@code hash}: the {@code algorithm} digest of {@code value} (UTF-8; a non-string value as
 *       compact JSON, null as "") in {@code encoding} (lower-case hex or standard base64);
 *   <li>{@code hmac}: the HMAC with {@code algorithm} of {@code value} keyed by {@code secret}
 *       (UTF-8, required, may come from an expression such as {@code {{ $vars.SIGNING_KEY }}});
 *   <li>{@code generate}: {@code uuid} (random, version 4), or 32 random bytes ({@code randomHex}:
 *       64 hex digits, {@code randomBase64}: 44 characters) from {@link SecureRandom}.
 * </ul>
 *
 * JDK providers only (java.security, javax.crypto).
 */
public final class CryptoHandler implements NodeHandler {

  static final int RANDOM_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Map<String, String> HMAC =
      Map.of(
          "SHA-256", "HmacSHA256",
          "SHA-384", "HmacSHA384",
          "SHA-512", "HmacSHA512",
          "SHA3-256", "HmacSHA3-256",
          "MD5", "HmacMD5",
          "SHA-1", "HmacSHA1");

  @Override
  public String type() {
    return "linkflow.crypto";
  }

  @Override
  public NodeResult run(NodeRun run, NodeContext context) {
    List<ObjectNode> out = new ArrayList<>(run.main().size());
    for (ObjectNode item : run.main()) {
      ObjectNode p = context.parameters(run, item);
      String algorithm = p.path("algorithm").asText("SHA-256");
      boolean base64 = "base64".equals(p.path("encoding").asText("hex"));
      byte[] value = Items.text(p.get("value")).getBytes(StandardCharsets.UTF_8);
      String result =
          switch (p.path("action").asText("hash")) {
            case "hash" -> encode(digest(run, algorithm, value), base64);
            case "hmac" -> encode(hmac(run, algorithm, p, value), base64);
            case "generate" -> generate(run, p.path("generate").asText("uuid"));
            default ->
                throw NodeException.parameter(
                    run, "/action", "unknown action \"" + p.path("action").asText() + "\"");
          };
      ObjectNode copy = item.deepCopy();
      Items.set(copy, outputField(run, p), TextNode.valueOf(result));
      out.add(copy);
    }
    return NodeResult.main(out);
  }

  private static String outputField(NodeRun run, ObjectNode p) {
    String field = p.path("outputField").asText("");
    if (field.isEmpty()) {
      throw NodeException.parameter(run, "/outputField", "a field name is required");
    }
    return field;
  }

  private static byte[] digest(NodeRun run, String algorithm, byte[] value) {
    if (!HMAC.containsKey(algorithm)) {
      throw unknownAlgorithm(run, algorithm);
    }
    try {
      return MessageDigest.getInstance(algorithm).digest(value);
    } catch (GeneralSecurityException e) {
      throw unknownAlgorithm(run, algorithm);
    }
  }

  private static byte[] hmac(NodeRun run, String algorithm, ObjectNode p, byte[] value) {
    String mac = HMAC.get(algorithm);
    if (mac == null) {
      throw unknownAlgorithm(run, algorithm);
    }
    String secret = Items.text(p.get("secret"));
    if (secret.isEmpty()) {
      throw NodeException.parameter(run, "/secret", "a secret is required for hmac");
    }
    try {
      Mac m = Mac.getInstance(mac);
      m.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), mac));
      return m.doFinal(value);
    } catch (GeneralSecurityException e) {
      throw unknownAlgorithm(run, algorithm);
    }
  }

  private static String generate(NodeRun run, String what) {
    if ("uuid".equals(what)) {
      return UUID.randomUUID().toString();
    }
    byte[] bytes = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(bytes);
    return switch (what) {
      case "randomHex" -> encode(bytes, false);
      case "randomBase64" -> encode(bytes, true);
      default -> throw NodeException.parameter(run, "/generate", "unknown value \"" + what + "\"");
    };
  }

  private static String encode(byte[] bytes, boolean base64) {
    return base64 ? Base64.getEncoder().encodeToString(bytes) : HexFormat.of().formatHex(bytes);
  }

  private static NodeException unknownAlgorithm(NodeRun run, String algorithm) {
    return NodeException.parameter(run, "/algorithm", "unknown algorithm \"" + algorithm + "\"");
  }
}
