package io.linkflow.nodes;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the catalog from the classpath ({@code catalog/index.json} names every file under {@code
 * catalog/nodes/} and {@code catalog/credentials/}) and validates it: every file parses strictly
 * (unknown fields are errors), names follow the rules, {@code (type, version)}, display names and
 * credential type names are unique, ports are consistent with the kind, every schema is a valid
 * JSON Schema object schema ({@link SchemaCheck}) and every referenced credential type exists. All
 * problems are reported at once ({@link CatalogException}).
 */
public final class CatalogLoader {

  public static final String INDEX = "catalog/index.json";
  public static final String NODES = "catalog/nodes/";
  public static final String CREDENTIALS = "catalog/credentials/";

  static final Pattern TYPE = Pattern.compile("linkflow\\.[a-z][A-Za-z0-9]{1,62}");
  static final Pattern CREDENTIAL = Pattern.compile("[a-z][A-Za-z0-9]{1,62}");
  static final Pattern CATEGORY = Pattern.compile("[a-z][a-z0-9-]{1,30}");
  static final Pattern PORT = Pattern.compile("[A-Za-z0-9_-]{1,40}");
  static final Pattern NODE_FILE = Pattern.compile("[a-z0-9-]+\\.v(\\d+)\\.json");
  static final Pattern CREDENTIAL_FILE = Pattern.compile("[a-z0-9-]+\\.json");

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .build();

  /** The index file: the catalog's files, in the order they are listed. */
  record Index(List<String> nodes, List<String> credentials) {}

  /** A credential type file: everything but the derived secret fields. */
  record CredentialFile(String name, String displayName, String description, ObjectNode schema) {}

  private CatalogLoader() {}

  /** The mapper the catalog is read with (also used to store and read definitions). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Loads and validates the catalog on the classpath. */
  public static Catalog load() {
    Index index = read(INDEX, resource(INDEX), Index.class);
    if (index.nodes() == null || index.credentials() == null) {
      throw new CatalogException(List.of(INDEX + ": needs nodes and credentials"));
    }
    Map<String, byte[]> nodes = new LinkedHashMap<>();
    for (String file : index.nodes()) {
      nodes.put(file, resource(NODES + file));
    }
    Map<String, byte[]> credentials = new LinkedHashMap<>();
    for (String file : index.credentials()) {
      credentials.put(file, resource(CREDENTIALS + file));
    }
    return build(nodes, credentials);
  }

  /** Validates node and credential type files (file name → content) into a catalog. */
  public static Catalog build(Map<String, byte[]> nodeFiles, Map<String, byte[]> credentialFiles) {
    List<String> problems = new ArrayList<>();
    List<CredentialType> credentials = new ArrayList<>();
    Set<String> credentialNames = new HashSet<>();
    credentialFiles.forEach(
        (file, content) -> {
          CredentialType credential = credential(file, content, problems);
          if (credential != null && !credentialNames.add(credential.name())) {
            problems.add(file + ": credential type " + credential.name() + " is defined twice");
          }
          if (credential != null) {
            credentials.add(credential);
          }
        });
    List<NodeType> nodes = new ArrayList<>();
    Set<String> versions = new HashSet<>();
    Map<String, String> displayNames = new HashMap<>();
    nodeFiles.forEach(
        (file, content) -> {
          NodeType node = node(file, content, credentialNames, problems);
          if (node == null) {
            return;
          }
          if (!versions.add(node.type() + "@" + node.version())) {
            problems.add(file + ": " + node.type() + " v" + node.version() + " is defined twice");
          }
          String owner = displayNames.putIfAbsent(node.displayName(), node.type());
          if (owner != null && !owner.equals(node.type())) {
            problems.add(
                file + ": displayName " + node.displayName() + " is already used by " + owner);
          }
          nodes.add(node);
        });
    if (!problems.isEmpty()) {
      throw new CatalogException(problems);
    }
    return new Catalog(nodes, credentials);
  }

  private static CredentialType credential(String file, byte[] content, List<String> problems) {
    int before = problems.size();
    if (!CREDENTIAL_FILE.matcher(file).matches()) {
      problems.add(file + ": credential files are named <name>.json (lower case, dashes)");
    }
    CredentialFile parsed;
    try {
      parsed = read(file, content, CredentialFile.class);
    } catch (CatalogException e) {
      problems.addAll(e.problems());
      return null;
    }
    if (parsed.name() == null || !CREDENTIAL.matcher(parsed.name()).matches()) {
      problems.add(file + ": name must match " + CREDENTIAL.pattern());
    }
    text(file, "displayName", parsed.displayName(), problems);
    text(file, "description", parsed.description(), problems);
    problems.addAll(SchemaCheck.problems(file + " schema", parsed.schema()));
    List<String> secrets = new ArrayList<>();
    if (parsed.schema() != null) {
      for (Map.Entry<String, JsonNode> field : parsed.schema().path("properties").properties()) {
        JsonNode secret = field.getValue().get("x-secret");
        if (secret != null && !secret.isBoolean()) {
          problems.add(file + ": x-secret of " + field.getKey() + " must be true or false");
        } else if (secret != null && secret.booleanValue()) {
          secrets.add(field.getKey());
        }
      }
    }
    if (problems.size() > before) {
      return null;
    }
    return new CredentialType(
        parsed.name(), parsed.displayName(), parsed.description(), parsed.schema(), secrets);
  }

  private static NodeType node(
      String file, byte[] content, Set<String> credentialNames, List<String> problems) {
    int before = problems.size();
    var fileName = NODE_FILE.matcher(file);
    if (!fileName.matches()) {
      problems.add(file + ": node files are named <name>.v<version>.json (lower case, dashes)");
    }
    NodeType node;
    try {
      node = read(file, content, NodeType.class);
    } catch (CatalogException e) {
      problems.addAll(e.problems());
      return null;
    }
    if (node.type() == null || !TYPE.matcher(node.type()).matches()) {
      problems.add(file + ": type must match " + TYPE.pattern());
    }
    if (node.version() < 1) {
      problems.add(file + ": version must be 1 or more");
    } else if (fileName.matches() && Integer.parseInt(fileName.group(1)) != node.version()) {
      problems.add(file + ": the file name's version differs from version " + node.version());
    }
    text(file, "displayName", node.displayName(), problems);
    text(file, "description", node.description(), problems);
    text(file, "documentation", node.documentation(), problems);
    if (node.category() == null || !CATEGORY.matcher(node.category()).matches()) {
      problems.add(file + ": category must match " + CATEGORY.pattern());
    }
    if (!NodeType.TRIGGER.equals(node.kind()) && !NodeType.ACTION.equals(node.kind())) {
      problems.add(file + ": kind must be trigger or action");
    }
    ports(file, "inputs", node.inputs(), problems);
    ports(file, "outputs", node.outputs(), problems);
    if (NodeType.TRIGGER.equals(node.kind()) && node.inputs() != null && !node.inputs().isEmpty()) {
      problems.add(file + ": a trigger has no inputs");
    }
    if (NodeType.TRIGGER.equals(node.kind())
        && node.outputs() != null
        && node.outputs().isEmpty()) {
      problems.add(file + ": a trigger needs an output");
    }
    if (NodeType.ACTION.equals(node.kind()) && node.inputs() != null && node.inputs().isEmpty()) {
      problems.add(file + ": an action needs an input");
    }
    problems.addAll(SchemaCheck.problems(file + " parameters", node.parameters()));
    if (node.credentialTypes() == null) {
      problems.add(file + ": credentialTypes is missing (use [] for none)");
    } else {
      Set<String> seen = new HashSet<>();
      for (CredentialRequirement credential : node.credentialTypes()) {
        if (credential == null || credential.name() == null) {
          problems.add(file + ": a credential type needs a name");
        } else if (!credentialNames.contains(credential.name())) {
          problems.add(file + ": unknown credential type " + credential.name());
        } else if (!seen.add(credential.name())) {
          problems.add(file + ": credential type " + credential.name() + " listed twice");
        } else if (credential.requiredWhen() != null) {
          requiredWhen(file, node, credential, problems);
        }
      }
    }
    return problems.size() > before ? null : node;
  }

  private static void requiredWhen(
      String file, NodeType node, CredentialRequirement credential, List<String> problems) {
    CredentialRequirement.RequiredWhen when = credential.requiredWhen();
    String where = file + ": requiredWhen of " + credential.name();
    if (credential.required()) {
      problems.add(where + " makes no sense on a required credential");
    }
    JsonNode property =
        node.parameters() == null
            ? null
            : node.parameters().path("properties").get(String.valueOf(when.parameter()));
    if (when.parameter() == null || property == null) {
      problems.add(where + " names no parameter of the node");
      return;
    }
    if (when.values() == null || when.values().isEmpty()) {
      problems.add(where + " needs values");
      return;
    }
    JsonNode allowed = property.get("enum");
    if (allowed != null) {
      Set<String> names = new HashSet<>();
      allowed.forEach(v -> names.add(v.asText()));
      for (String value : when.values()) {
        if (!names.contains(value)) {
          problems.add(where + ": " + value + " is not a value of " + when.parameter());
        }
      }
    }
  }

  private static void ports(String file, String field, List<Port> ports, List<String> problems) {
    if (ports == null) {
      problems.add(file + ": " + field + " is missing (use [] for none)");
      return;
    }
    Set<String> names = new HashSet<>();
    for (Port port : ports) {
      if (port == null || port.name() == null || !PORT.matcher(port.name()).matches()) {
        problems.add(file + ": " + field + " names must match " + PORT.pattern());
      } else if (!names.add(port.name())) {
        problems.add(file + ": " + field + " has " + port.name() + " twice");
      } else {
        text(file, field + "." + port.name() + ".displayName", port.displayName(), problems);
      }
    }
  }

  private static void text(String file, String field, String value, List<String> problems) {
    if (value == null || value.isBlank()) {
      problems.add(file + ": " + field + " is missing or blank");
    }
  }

  private static <T> T read(String file, byte[] content, Class<T> type) {
    try {
      return MAPPER.readValue(content, type);
    } catch (JsonProcessingException e) {
      throw new CatalogException(List.of(file + ": " + e.getOriginalMessage()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] resource(String path) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = CatalogLoader.class.getClassLoader();
    }
    try (InputStream in = loader.getResourceAsStream(path)) {
      if (in == null) {
        throw new CatalogException(List.of(path + ": listed in " + INDEX + " but not found"));
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
