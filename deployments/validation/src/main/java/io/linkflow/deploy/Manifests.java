package io.linkflow.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads Kubernetes objects from YAML: multi-document files, directories of them and the output of
 * {@code kubectl kustomize} or {@code helm template}. A document that is not an object with {@code
 * apiVersion} and {@code kind}, unreadable YAML and duplicate keys (which YAML parsers otherwise
 * resolve silently, last one wins) all fail with the source and the document's position.
 */
public final class Manifests {

  /** YAML reader that refuses duplicate keys. */
  public static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private Manifests() {}

  /** The objects of a (multi-document) YAML text; empty documents are skipped. */
  public static List<Manifest> parse(String yaml, String source) {
    List<Manifest> manifests = new ArrayList<>();
    int index = 0;
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (documents.hasNext()) {
        index++;
        JsonNode document = documents.next();
        if (document == null || document.isNull() || document.isMissingNode()) {
          continue;
        }
        if (!document.isObject()
            || !document.path("apiVersion").isTextual()
            || !document.path("kind").isTextual()) {
          throw new IllegalArgumentException(
              source
                  + ": document "
                  + index
                  + " is not a Kubernetes object (no apiVersion and kind): "
                  + abbreviate(document.toString()));
        }
        manifests.add(new Manifest(source, document));
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException iae && iae.getMessage().startsWith(source)) {
        throw iae;
      }
      throw new IllegalArgumentException(
          source + ": unreadable YAML after document " + index + ": " + e.getMessage(), e);
    }
    return manifests;
  }

  /** The objects of one file; {@code source} in each is the path relative to {@code root}. */
  public static List<Manifest> file(Path root, Path file) {
    try {
      return parse(Files.readString(file), root.relativize(file.toAbsolutePath()).toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * The objects of every {@code *.yaml}/{@code *.yml} file directly in {@code dir}, in file name
   * order, except {@code kustomization.yaml} (a kustomize build file, not an object to apply).
   */
  public static List<Manifest> directory(Path root, Path dir) {
    List<Manifest> manifests = new ArrayList<>();
    for (Path file : yamlFiles(dir)) {
      manifests.addAll(file(root, file));
    }
    return manifests;
  }

  /** The YAML files directly in {@code dir} (sorted), without kustomization.yaml. */
  public static List<Path> yamlFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              f -> {
                String name = f.getFileName().toString();
                return (name.endsWith(".yaml") || name.endsWith(".yml"))
                    && !name.startsWith("kustomization.");
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }
}
