package io.linkflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Proves that {@link StrictSchema} is strict: for each family of kinds, a valid object passes and
 * the same object with one misspelt field fails, naming the object and the path of the field.
 */
class StrictSchemaTest {

  private static List<String> violations(String yaml) {
    List<Manifest> manifests = Manifests.parse(yaml, "test.yaml");
    assertThat(manifests).hasSize(1);
    return StrictSchema.validate(manifests.get(0));
  }

  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: auth-service
        namespace: linkflow
        labels:
          app: auth-service
      spec:
        replicas: 2
        selector:
          matchLabels:
            app: auth-service
        template:
          metadata:
            labels:
              app: auth-service
          spec:
            securityContext:
              runAsNonRoot: true
            containers:
              - name: auth-service
                image: ghcr.io/linkflow/auth-service:0.1.0
                ports:
                  - name: http
                    containerPort: 8080
                resources:
                  requests:
                    cpu: 100m
                    memory: 256Mi
                readinessProbe:
                  %s:
                    path: /health/ready
                    port: http
      """;

  @Test
  void deploymentWithAMisspeltFieldFails() {
    assertThat(violations(DEPLOYMENT.formatted("httpGet"))).isEmpty();
    assertThat(violations(DEPLOYMENT.formatted("httpGett")))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("Deployment linkflow/auth-service", "test.yaml")
        .contains("unknown field .spec.template.spec.containers[0].readinessProbe.httpGett");
  }

  @Test
  void wrongTypeFails() {
    String yaml = DEPLOYMENT.formatted("httpGet").replace("replicas: 2", "replicas: two");
    assertThat(violations(yaml))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("Deployment linkflow/auth-service", "does not parse");
  }

  private static final String VIRTUAL_SERVICE =
      """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata:
        name: workflow-service
        namespace: linkflow
      spec:
        hosts:
          - workflow-service
        http:
          - match:
              - headers:
                  x-canary:
                    exact: "true"
                uri:
                  %s: /api/v1/workflows
            route:
              - destination:
                  host: workflow-service
                  subset: v2
                weight: 100
      """;

  @Test
  void virtualServiceWithAMisspeltFieldFails() {
    assertThat(violations(VIRTUAL_SERVICE.formatted("prefix"))).isEmpty();
    assertThat(violations(VIRTUAL_SERVICE.formatted("prefx")))
        .isNotEmpty()
        .allSatisfy(v -> assertThat(v).contains("VirtualService linkflow/workflow-service"))
        .anySatisfy(v -> assertThat(v).contains(".spec.http[0].match[0].uri").contains("prefx"));
    assertThat(
            violations(
                VIRTUAL_SERVICE
                    .formatted("prefix")
                    .replace("exact: \"true\"", "exactly: \"true\"")))
        .anySatisfy(
            v -> assertThat(v).contains(".spec.http[0].match[0].headers.x-canary", "exactly"));
  }

  private static final String SCALED_OBJECT =
      """
      apiVersion: keda.sh/v1alpha1
      kind: ScaledObject
      metadata:
        name: executor-service
        namespace: linkflow
      spec:
        scaleTargetRef:
          name: executor-service
        minReplicaCount: 10
        %s: 100
        triggers:
          - type: kafka
            metadata:
              topic: execution.commands
              consumerGroup: executor-service
      """;

  @Test
  void scaledObjectWithAMisspeltFieldFails() {
    assertThat(violations(SCALED_OBJECT.formatted("maxReplicaCount"))).isEmpty();
    assertThat(violations(SCALED_OBJECT.formatted("maxReplicas")))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("ScaledObject linkflow/executor-service", ".spec", "maxReplicas");
  }

  private static final String KAFKA_TOPIC =
      """
      apiVersion: kafka.strimzi.io/v1beta2
      kind: KafkaTopic
      metadata:
        name: execution.commands
        namespace: linkflow
        labels:
          strimzi.io/cluster: linkflow
      spec:
        %s: 15
        replicas: 3
        config:
          retention.ms: "86400000"
      """;

  @Test
  void kafkaTopicWithAMisspeltFieldFails() {
    assertThat(violations(KAFKA_TOPIC.formatted("partitions"))).isEmpty();
    assertThat(violations(KAFKA_TOPIC.formatted("partition")))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("KafkaTopic linkflow/execution.commands", "unknown field .spec.partition");
  }

  private static final String APPLICATION =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: Application
      metadata:
        name: linkflow
        namespace: argocd
      spec:
        project: linkflow
        source:
          repoURL: https://github.com/linkflow/linkflow.git
          targetRevision: main
          path: deployments/k8s/overlays/production
        destination:
          server: https://kubernetes.default.svc
          namespace: linkflow
        syncPolicy:
          automated:
            prune: true
            %s: true
      """;

  @Test
  void applicationWithAMisspeltFieldFails() {
    assertThat(violations(APPLICATION.formatted("selfHeal"))).isEmpty();
    assertThat(violations(APPLICATION.formatted("selfHealing")))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("Application argocd/linkflow", ".spec.syncPolicy.automated", "selfHealing");
  }

  private static final String PROMETHEUS_RULE =
      """
      apiVersion: monitoring.coreos.com/v1
      kind: PrometheusRule
      metadata:
        name: linkflow
        namespace: linkflow
      spec:
        groups:
          - name: linkflow
            rules:
              - alert: ServiceDown
                %s: up == 0
                for: 1m
                labels:
                  severity: critical
      """;

  @Test
  void prometheusRuleWithAMisspeltFieldFails() {
    assertThat(violations(PROMETHEUS_RULE.formatted("expr"))).isEmpty();
    assertThat(violations(PROMETHEUS_RULE.formatted("expression")))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains(
            "PrometheusRule linkflow/linkflow",
            "unknown field .spec.groups[0].rules[0].expression");
  }

  /**
   * Every kind the repository deploys (not only the ones above) is checked strictly: one object of
   * each, with an unknown field added at its root and in its spec, fails naming that field.
   */
  @TestFactory
  Stream<DynamicTest> everyDeployedKindRejectsAnUnknownField() {
    Map<String, Manifest> oneOfEachKind = new TreeMap<>();
    List<Manifest> all = new ArrayList<>(DeploymentFiles.chart());
    DeploymentFiles.kustomizations().forEach(dir -> all.addAll(DeploymentFiles.built(dir)));
    all.forEach(m -> oneOfEachKind.putIfAbsent(m.apiVersion() + " " + m.kind(), m));
    assertThat(oneOfEachKind.keySet())
        .contains(
            "apps/v1 Deployment",
            "networking.istio.io/v1 VirtualService",
            "keda.sh/v1alpha1 ScaledObject",
            "kafka.strimzi.io/v1beta2 KafkaTopic",
            "argoproj.io/v1alpha1 Application",
            "monitoring.coreos.com/v1 PrometheusRule");
    return oneOfEachKind.entrySet().stream()
        .map(
            e ->
                DynamicTest.dynamicTest(
                    e.getKey(),
                    () -> {
                      ObjectNode object = e.getValue().object().deepCopy();
                      object.put("unknownRootField", "x");
                      boolean hasSpec = object.path("spec").isObject();
                      if (hasSpec) {
                        ((ObjectNode) object.get("spec")).put("unknownSpecField", 1);
                      }
                      List<String> violations =
                          StrictSchema.validate(new Manifest(e.getValue().source(), object));
                      assertThat(violations)
                          .anySatisfy(v -> assertThat(v).contains("unknownRootField"));
                      if (hasSpec) {
                        assertThat(violations)
                            .anySatisfy(v -> assertThat(v).contains(".spec", "unknownSpecField"));
                      }
                    }));
  }

  @Test
  void unknownKindFails() {
    assertThat(
            violations(
                """
                apiVersion: networking.istio.io/v1
                kind: VirtualServce
                metadata:
                  name: x
                """))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("no schema for apiVersion 'networking.istio.io/v1' kind 'VirtualServce'");
    assertThat(
            violations(
                """
                apiVersion: autoscaling/v2beta2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: x
                """))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("has been removed from Kubernetes; use autoscaling/v2");
  }
}
