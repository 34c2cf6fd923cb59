package io.linkflow.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Everything this repository deploys, read once per test JVM: the chart rendered with its default
 * values, every kustomize directory built with {@code kubectl kustomize}, and the YAML files of
 * istio/, kafka/, argocd/ and kong/. The services come from the {@code services/} directory.
 */
final class DeploymentFiles {

  static final Path ROOT = HelmChart.repositoryRoot();

  /**
   * The production and staging overlays: what Argo CD syncs and {@code make k8s-deploy} applies.
   */
  static final Path PRODUCTION = Path.of("deployments/k8s/overlays/production");

  static final Path STAGING = Path.of("deployments/k8s/overlays/staging");

  static final Path BASE = Path.of("deployments/k8s/base");

  /** Folders whose YAML files are Kubernetes objects, also read file by file. */
  static final List<Path> OBJECT_FOLDERS =
      List.of(Path.of("istio"), Path.of("kafka"), Path.of("argocd"), Path.of("kong"));

  /** YAML files in those folders that are not Kubernetes objects. */
  static final Set<Path> NOT_OBJECTS =
      Set.of(
          // Kong's declarative configuration (checked by deck validate); kong/kustomization.yaml
          // turns it into a ConfigMap.
          Path.of("kong/kong.yml"));

  private static final Map<Path, List<Manifest>> BUILT = new ConcurrentHashMap<>();
  private static volatile List<Manifest> chart;
  private static volatile Kustomize kustomize;

  private DeploymentFiles() {}

  /** The services, from {@code services/<name>-service/pom.xml}: {@code auth}, {@code user}, … */
  static List<String> services() {
    return HelmChart.services();
  }

  static Kustomize kustomize() {
    if (kustomize == null) {
      kustomize = Kustomize.find();
    }
    return kustomize;
  }

  /** {@code helm template linkflow helm/linkflow --namespace linkflow} with the default values. */
  static List<Manifest> chart() {
    if (chart == null) {
      chart =
          Manifests.parse(
              HelmChart.linkflow().template(),
              "helm template linkflow helm/linkflow (default values)");
    }
    return chart;
  }

  /** {@code kubectl kustomize <dir>} (dir relative to the repository root). */
  static List<Manifest> built(Path dir) {
    return BUILT.computeIfAbsent(dir, d -> kustomize().manifests(ROOT, ROOT.resolve(d)));
  }

  /** Every directory of the repository with a kustomization.yaml, relative to the root. */
  static List<Path> kustomizations() {
    List<Path> dirs = new ArrayList<>();
    try (Stream<Path> files = Files.walk(ROOT)) {
      files
          .filter(f -> f.getFileName().toString().equals("kustomization.yaml"))
          .map(f -> ROOT.relativize(f.getParent()))
          .filter(d -> !ignored(d))
          .sorted()
          .forEach(dirs::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dirs;
  }

  /** The object files of istio/, kafka/, argocd/ and kong/, each with its objects. */
  static Map<Path, List<Manifest>> objectFiles() {
    Map<Path, List<Manifest>> files = new LinkedHashMap<>();
    for (Path folder : OBJECT_FOLDERS) {
      for (Path file : Manifests.yamlFiles(ROOT.resolve(folder))) {
        Path relative = ROOT.relativize(file);
        if (!NOT_OBJECTS.contains(relative)) {
          files.put(relative, Manifests.file(ROOT, file));
        }
      }
    }
    return files;
  }

  /** Objects of one kind. */
  static List<Manifest> ofKind(List<Manifest> manifests, String kind) {
    return manifests.stream().filter(m -> m.kind().equals(kind)).toList();
  }

  /** The one object of a kind and name, or null. */
  static Manifest find(List<Manifest> manifests, String kind, String name) {
    return manifests.stream()
        .filter(m -> m.kind().equals(kind) && m.name().equals(name))
        .findFirst()
        .orElse(null);
  }

  private static boolean ignored(Path dir) {
    for (Path part : dir) {
      String name = part.toString();
      if (name.equals("target")
          || name.equals("node_modules")
          || name.startsWith(".")
          || name.equals("src")) {
        return true;
      }
    }
    return false;
  }
}
