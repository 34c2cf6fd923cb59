{{/*
Helpers of the observability templates (monitoring, logging, tracing, backup). Each object they
render is named after its component and carries these labels; `component` is the argument.
*/}}
{{- define "linkflow.obs.labels" -}}
app.kubernetes.io/name: {{ . }}
app.kubernetes.io/component: observability
app.kubernetes.io/part-of: linkflow
{{- end -}}

{{- define "linkflow.obs.selectorLabels" -}}
app.kubernetes.io/name: {{ . }}
app.kubernetes.io/part-of: linkflow
{{- end -}}

{{/* An image reference from {repository, tag}. */}}
{{- define "linkflow.obs.image" -}}
{{- printf "%s:%s" .repository .tag -}}
{{- end -}}

{{/*
The container security context of every observability container: non-root, read-only root
filesystem, no privilege escalation, no capabilities.
*/}}
{{- define "linkflow.obs.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop:
    - ALL
{{- end -}}

{{/* Pod security context; the argument is the uid (and gid) the image's process runs as. */}}
{{- define "linkflow.obs.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ . }}
runAsGroup: {{ . }}
fsGroup: {{ . }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* The databases the backup dumps: linkflow_<name> of every enabled service with a database. */}}
{{- define "linkflow.obs.backupDatabases" -}}
{{- $names := list -}}
{{- range $name, $svc := .Values.services -}}
{{- if and $svc.enabled $svc.database -}}
{{- $names = append $names (printf "linkflow_%s" $name) -}}
{{- end -}}
{{- end -}}
{{- join "," $names -}}
{{- end -}}

{{/* Loki's push and query address inside the cluster. */}}
{{- define "linkflow.obs.lokiUrl" -}}
{{- printf "http://loki.%s.svc.cluster.local:3100" .Release.Namespace -}}
{{- end -}}
