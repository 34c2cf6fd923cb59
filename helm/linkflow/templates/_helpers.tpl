{{/*
Helpers shared by every template. One range over .Values.services renders all sixteen services;
the per-service templates call these with a dict:
  root     the chart's root context ($)
  name     the service's short name (workflow)
  svc      its values (.Values.services.workflow)
*/}}

{{/* The object name of a service: workflow -> workflow-service. */}}
{{- define "linkflow.serviceName" -}}
{{- printf "%s-service" . -}}
{{- end -}}

{{/* Labels every object of the chart carries. */}}
{{- define "linkflow.commonLabels" -}}
app.kubernetes.io/part-of: linkflow
{{- end -}}

{{/*
Selector of a service's pods: stable across releases (selectors of Deployments are immutable).
The Service and the PodDisruptionBudget use it, so they span the stable and the canary pods.
*/}}
{{- define "linkflow.selectorLabels" -}}
app.kubernetes.io/name: {{ include "linkflow.serviceName" . }}
app: {{ include "linkflow.serviceName" . }}
{{- end -}}

{{/* Labels of a service's objects (name = short name). */}}
{{- define "linkflow.labels" -}}
{{ include "linkflow.selectorLabels" . }}
app.kubernetes.io/component: {{ . }}
{{ include "linkflow.commonLabels" . }}
{{- end -}}

{{/* The tag every image falls back to: global.imageTag, else the chart's appVersion. */}}
{{- define "linkflow.defaultTag" -}}
{{- .Values.global.imageTag | default .Chart.AppVersion -}}
{{- end -}}

{{/*
The image of a service: <global.imageRegistry>/<repository>:<tag>, repository defaulting to
linkflow/<name>-service. Called with (dict "root" $ "name" "workflow" "image" $svc.image "tag" "…").
*/}}
{{- define "linkflow.image" -}}
{{- $repository := .image.repository | default (printf "linkflow/%s" (include "linkflow.serviceName" .name)) -}}
{{- printf "%s/%s:%s" .root.Values.global.imageRegistry $repository .tag -}}
{{- end -}}

{{/* The OTLP endpoint of the OpenTelemetry collector (gRPC, 4317). */}}
{{- define "linkflow.otlpEndpoint" -}}
{{- .Values.global.otlp.endpoint | default (printf "http://otel-collector.%s.svc.cluster.local:4317" .Release.Namespace) -}}
{{- end -}}

{{/* Kafka's bootstrap address: the Strimzi cluster's plain listener unless given. */}}
{{- define "linkflow.kafkaBootstrap" -}}
{{- $kafka := .Values.infrastructure.kafka -}}
{{- $kafka.bootstrapServers | default (printf "%s-kafka-bootstrap.%s.svc.cluster.local:9092" $kafka.clusterName .Release.Namespace) -}}
{{- end -}}

{{/* The in-cluster address of a service: http://<name>-service.<namespace>.svc.cluster.local:8080 */}}
{{- define "linkflow.serviceUrl" -}}
{{- printf "http://%s.%s.svc.cluster.local:8080" (include "linkflow.serviceName" .name) .root.Release.Namespace -}}
{{- end -}}

{{/*
The pod template of a service, shared by its stable and its canary Deployment. Arguments: root,
name, svc, version (v1 | v2), image.
*/}}
{{- define "linkflow.podTemplate" -}}
{{- $root := .root -}}
{{- $svc := .svc -}}
metadata:
  labels:
    {{- include "linkflow.labels" .name | nindent 4 }}
    version: {{ .version }}
  annotations:
    # Rolls the pods when the shared configuration changes (helm upgrade).
    checksum/config: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
    # The application starts only once the Istio sidecar is ready: it connects to PostgreSQL and
    # Kafka at start-up.
    proxy.istio.io/config: '{"holdApplicationUntilProxyStarts": true}'
spec:
  serviceAccountName: {{ include "linkflow.serviceName" .name }}
  automountServiceAccountToken: false
  terminationGracePeriodSeconds: {{ $root.Values.global.terminationGracePeriodSeconds }}
  {{- with $root.Values.global.imagePullSecrets }}
  imagePullSecrets:
    {{- range . }}
    - name: {{ . }}
    {{- end }}
  {{- end }}
  securityContext:
    runAsNonRoot: true
    runAsUser: {{ $root.Values.global.runAsUser }}
    runAsGroup: {{ $root.Values.global.runAsGroup }}
    fsGroup: {{ $root.Values.global.runAsGroup }}
    seccompProfile:
      type: RuntimeDefault
  # Replicas spread over zones and nodes where the cluster allows it.
  topologySpreadConstraints:
    - maxSkew: 1
      topologyKey: topology.kubernetes.io/zone
      whenUnsatisfiable: ScheduleAnyway
      labelSelector:
        matchLabels:
          {{- include "linkflow.selectorLabels" .name | nindent 10 }}
    - maxSkew: 1
      topologyKey: kubernetes.io/hostname
      whenUnsatisfiable: ScheduleAnyway
      labelSelector:
        matchLabels:
          {{- include "linkflow.selectorLabels" .name | nindent 10 }}
  containers:
    - name: {{ include "linkflow.serviceName" .name }}
      image: {{ .image }}
      imagePullPolicy: {{ $svc.image.pullPolicy | default $root.Values.global.imagePullPolicy }}
      ports:
        - name: http
          containerPort: 8080
          protocol: TCP
      envFrom:
        - configMapRef:
            name: linkflow-config
      env:
        {{- if $svc.database }}
        - name: LINKFLOW_DB_USER
          valueFrom:
            secretKeyRef:
              name: {{ $root.Values.infrastructure.postgresql.secretName }}
              key: username
        - name: LINKFLOW_DB_PASSWORD
          valueFrom:
            secretKeyRef:
              name: {{ $root.Values.infrastructure.postgresql.secretName }}
              key: password
        {{- end }}
        {{- range $var, $ref := $svc.secretEnv }}
        - name: {{ $var }}
          valueFrom:
            secretKeyRef:
              name: {{ $ref.secretName | default $root.Values.global.secretName }}
              key: {{ $ref.key }}
              {{- if $ref.optional }}
              optional: true
              {{- end }}
        {{- end }}
        {{- range $var, $value := $svc.env }}
        - name: {{ $var }}
          value: {{ $value | quote }}
        {{- end }}
      # /health/live answers without touching a dependency; /health/ready checks the service's
      # database, redis and queue (libs/common HealthResource, 2 s per check).
      startupProbe:
        httpGet:
          path: /health/live
          port: http
        periodSeconds: 5
        timeoutSeconds: 3
        # A JVM on a busy node: up to 3 minutes to start (Flyway migrations included).
        failureThreshold: 36
      livenessProbe:
        httpGet:
          path: /health/live
          port: http
        periodSeconds: 10
        timeoutSeconds: 3
        failureThreshold: 3
      readinessProbe:
        httpGet:
          path: /health/ready
          port: http
        periodSeconds: 5
        timeoutSeconds: 3
        failureThreshold: 3
      resources:
        {{- toYaml $svc.resources | nindent 8 }}
      securityContext:
        runAsNonRoot: true
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities:
          drop:
            - ALL
      volumeMounts:
        - name: tmp
          mountPath: /tmp
  volumes:
    # The only writable path: JVM perf data, Vert.x file cache, GraalJS.
    - name: tmp
      emptyDir:
        sizeLimit: 256Mi
{{- end -}}
