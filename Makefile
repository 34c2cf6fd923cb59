# LinkFlow — the one entry point. Every target is a thin wrapper around Maven or the local-stack
# launcher (libs/local-stack); `make help` lists them.
#
#   make run-local     build what is missing, start infrastructure + 16 services + edge on :8000
#   make test          every module's tests, on real PostgreSQL, Kafka and Redis, then make e2e
#   make infra-down    stop everything started locally

SHELL := /bin/bash
.DEFAULT_GOAL := help

JAVA_HOME := $(shell deployments/local/java-home.sh)
ifeq ($(JAVA_HOME),)
  $(error No JDK 21+ found: set JAVA_HOME to a JDK 21 or newer)
endif
export JAVA_HOME
export PATH := $(JAVA_HOME)/bin:$(PATH)

MVN ?= mvn -B
STACK_DIR := libs/local-stack
STACK_CP_FILE := $(STACK_DIR)/target/classpath.txt
STACK = $(JAVA_HOME)/bin/java -cp "$$(cat $(STACK_CP_FILE)):$(STACK_DIR)/target/classes" io.linkflow.localstack.LocalStack
SERVICES := auth user workflow execution executor node credential variable webhook schedule \
            notification audit analytics search storage billing
SERVICE_JARS := $(foreach s,$(SERVICES),services/$(s)-service/target/quarkus-app/quarkus-run.jar)

.PHONY: help build test e2e lint fmt clean infra-up infra-down infra-status db-migrate run-local stop \
        check-outage rotate-keys rotate-secrets bench logs docker-build docker-push k8s-render k8s-deploy helm-install helm-upgrade

help: ## List the targets
	@echo "LinkFlow — make targets (JDK: $(JAVA_HOME))"
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

build: ## Compile and package every module, without tests
	$(MVN) install -DskipTests

test: ## Every module's tests (real PostgreSQL, Kafka, Redis started by the tests), then make e2e
	$(MVN) install
	$(MAKE) e2e

e2e: $(STACK_CP_FILE) ## Start the local stack (make run-local) and run the end-to-end drills against it
	$(MAKE) run-local
	@status=0; $(MVN) -pl $(STACK_DIR) test -Dtest='*IT' -Dsurefire.failIfNoSpecifiedTests=false || status=$$?; \
	  if [ -n "$$CI" ]; then $(MAKE) infra-down; fi; exit $$status

lint: ## Check formatting (google-java-format) and the module rules, without tests
	$(MVN) validate

fmt: ## Format all Java sources
	$(MVN) spotless:apply

clean: ## Remove build output (local data in .linkflow/ stays; see infra-down)
	$(MVN) clean

# Rebuild when any source, resource or pom is newer than what was built.
SOURCES := $(shell find pom.xml libs services -path '*/target' -prune -o -type f \( -name '*.java' -o -name '*.properties' -o -name '*.sql' -o -name '*.xml' \) -print)
STACK_SOURCES := $(filter libs/local-stack/% libs/events/% pom.xml,$(SOURCES))

$(STACK_CP_FILE): $(STACK_SOURCES)
	$(MVN) -q install -DskipTests -pl $(STACK_DIR) -am
	@touch $@

$(SERVICE_JARS) &: $(SOURCES)
	$(MVN) install -DskipTests
	@touch $(SERVICE_JARS)

infra-up: $(STACK_CP_FILE) ## Start PostgreSQL, Kafka (18 topics), Redis and S3 in the background
	@$(STACK) infra-up

infra-down: $(STACK_CP_FILE) ## Stop services, edge and infrastructure; leaves no process behind
	@$(STACK) infra-down

infra-status: $(STACK_CP_FILE) ## Show the infrastructure and service processes
	@$(STACK) infra-status

db-migrate: $(STACK_CP_FILE) ## Apply every service's Flyway migrations (starts nothing)
	@$(STACK) db-migrate

run-local: $(STACK_CP_FILE) $(SERVICE_JARS) ## Build what is missing, start everything, wait until healthy
	@$(STACK) run-local

stop: $(STACK_CP_FILE) ## Stop the services and the edge, keep the infrastructure
	@$(STACK) stop

check-outage: $(STACK_CP_FILE) ## With run-local up: stop Kafka, expect 503 everywhere within 10 s, restart, expect 200
	@deployments/local/kafka-outage-check.sh

rotate-keys: ## With run-local up: rotate auth-service's token signing key (operator client)
	@deployments/local/rotate-keys.sh

rotate-secrets: ## With run-local up: rewrap secret variables and credentials under the primary master key now
	@deployments/local/rotate-secrets.sh

BENCH_CLASSES := $(STACK_DIR)/target/bench-classes
BENCH_CP = $(BENCH_CLASSES):$$(cat $(STACK_CP_FILE))

bench: $(STACK_CP_FILE) ## With run-local up: benchmarks that print figures (deployments/bench)
	@curl -sf localhost:8101/health/ready >/dev/null || { echo "Start the platform first: make run-local" >&2; exit 2; }
	@# compiled together (they share BenchCpu and BenchHttp), so any JDK 21+ runs them
	@rm -rf $(BENCH_CLASSES) && $(JAVA_HOME)/bin/javac -nowarn -d $(BENCH_CLASSES) -cp "$$(cat $(STACK_CP_FILE))" deployments/bench/*.java
	$(JAVA_HOME)/bin/java -cp "$(BENCH_CP)" LoginBench http://localhost:8000 $${BENCH_CONCURRENCY:-8} $${BENCH_SECONDS:-20}
	$(JAVA_HOME)/bin/java -cp "$(BENCH_CP)" AuthenticatedRequestBench http://localhost:8000 $${BENCH_CONCURRENCY:-8} $${BENCH_SECONDS:-20}
	$(JAVA_HOME)/bin/java -Dlogback.configurationFile=deployments/bench/logback.xml -cp "$(BENCH_CP)" ExecutionBench http://localhost:8000 localhost:9092 $${BENCH_EXECUTIONS:-20000} $${BENCH_RATE:-500,1000} $${BENCH_SECONDS:-20}
	$(JAVA_HOME)/bin/java -cp "$(BENCH_CP)" WebhookBench http://localhost:8000 $${BENCH_WEBHOOK_CONCURRENCY:-64} $${BENCH_WEBHOOK_RATE:-500,1000} $${BENCH_SECONDS:-20}

logs: $(STACK_CP_FILE) ## Follow the logs of everything started locally (Ctrl-C to stop)
	@$(STACK) logs

# Container images: one Dockerfile for every service (deployments/docker/Dockerfile, build context
# the repository root), tagged $(REGISTRY)/linkflow/<name>-service:$(TAG). The builder is the first
# that works of docker (its engine answers `docker info`), podman and buildah; CONTAINER_BUILDER=…
# picks one. IMAGE_SERVICES="auth user" builds a few.
REGISTRY ?= ghcr.io
TAG ?= 0.1.0
IMAGE_SERVICES ?= $(SERVICES)
# ?= is deferred: only the docker targets evaluate it.
CONTAINER_BUILDER ?= $(firstword $(foreach b,docker podman buildah,$(if $(shell $(b) info >/dev/null 2>&1 && echo ok),$(b))))

# Says which builder is missing (or installed without a working engine) and stops with exit 2
# before anything is compiled.
define require_builder
	@if [ -z "$(CONTAINER_BUILDER)" ]; then \
	  for b in docker podman buildah; do \
	    if command -v $$b >/dev/null 2>&1; then echo "$@: $$b is installed but does not work here ($$b info fails; for docker: no engine running)" >&2; \
	    else echo "$@: $$b is not installed" >&2; fi; \
	  done; \
	  echo "$@: no usable container builder (docker with a running engine, podman or buildah). Nothing was built or pushed." >&2; \
	  exit 2; fi
endef

docker-build: ## Build an image per service, REGISTRY/linkflow/<name>-service:TAG (docker, podman or buildah)
	$(require_builder)
	@# The jars first (mvn install -DskipTests when a source is newer than a service's quarkus-app).
	@$(MAKE) --no-print-directory $(SERVICE_JARS)
	@for s in $(IMAGE_SERVICES); do \
	  image=$(REGISTRY)/linkflow/$$s-service:$(TAG); echo "docker-build: $$image ($(CONTAINER_BUILDER))"; \
	  if [ "$(CONTAINER_BUILDER)" = buildah ]; then \
	    buildah bud -f deployments/docker/Dockerfile --build-arg SERVICE=$$s -t $$image . || exit 1; \
	  else \
	    $(CONTAINER_BUILDER) build -f deployments/docker/Dockerfile --build-arg SERVICE=$$s -t $$image . || exit 1; \
	  fi; \
	done

docker-push: ## Push the images of docker-build to REGISTRY (log in first, e.g. docker login ghcr.io)
	$(require_builder)
	@for s in $(IMAGE_SERVICES); do \
	  image=$(REGISTRY)/linkflow/$$s-service:$(TAG); echo "docker-push: $$image"; \
	  $(CONTAINER_BUILDER) push $$image || exit 1; \
	done

# Kubernetes (docs/operations.md "Deploying to Kubernetes"). helm/linkflow is the single source of
# the objects; deployments/k8s/base is its rendering (make k8s-render), the overlays patch it.
VALIDATION_DIR := deployments/validation
VALIDATION_CP_FILE := $(VALIDATION_DIR)/target/classpath.txt
OVERLAY ?= production
HELM ?= helm
HELM_ARGS ?=
K8S_NAMESPACE := linkflow

k8s-render: ## Render helm/linkflow (default values) into deployments/k8s/base and kafka/; offline, no helm CLI
	$(MVN) -q install -DskipTests -pl $(VALIDATION_DIR) -am
	@$(JAVA_HOME)/bin/java --enable-native-access=ALL-UNNAMED -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
	  -cp "$$(cat $(VALIDATION_CP_FILE)):$(VALIDATION_DIR)/target/classes" io.linkflow.deploy.K8sRender

k8s-deploy: ## Apply a kustomize overlay with kubectl: OVERLAY=production (default) or staging
	@test -f deployments/k8s/overlays/$(OVERLAY)/kustomization.yaml || \
	  { echo "k8s-deploy: no overlay deployments/k8s/overlays/$(OVERLAY) (OVERLAY=production or staging)" >&2; exit 2; }
	@command -v kubectl >/dev/null || { echo "k8s-deploy: kubectl is not installed" >&2; exit 2; }
	@ctx=$$(kubectl config current-context 2>/dev/null) || \
	  { echo "k8s-deploy: kubectl has no cluster context (kubectl config current-context); nothing applied." \
	         "Render offline instead: kubectl kustomize deployments/k8s/overlays/$(OVERLAY)" >&2; exit 2; }; \
	  echo "k8s-deploy: applying deployments/k8s/overlays/$(OVERLAY) to context $$ctx"; \
	  kubectl apply -k deployments/k8s/overlays/$(OVERLAY)

define require_helm
	@command -v $(HELM) >/dev/null || { echo "$@: the helm CLI is not installed (Helm 3.14 or newer is needed;" \
	  "https://helm.sh/docs/intro/install/). Without it: make k8s-deploy applies the same objects with kubectl." >&2; exit 2; }
	@command -v kubectl >/dev/null && kubectl config current-context >/dev/null 2>&1 || \
	  { echo "$@: kubectl has no cluster context (kubectl config current-context); nothing installed." >&2; exit 2; }
endef

helm-install: ## Install the chart as release linkflow in namespace linkflow: OVERLAY=production|staging, HELM_ARGS='--set …'
	$(require_helm)
	kubectl apply -k deployments/k8s/namespace
	$(HELM) install linkflow helm/linkflow --namespace $(K8S_NAMESPACE) \
	  -f helm/linkflow/values-$(OVERLAY).yaml $(HELM_ARGS)

helm-upgrade: ## Upgrade release linkflow, keeping earlier values: HELM_ARGS='--set services.workflow.image.tag=v1.2.3'
	$(require_helm)
	$(HELM) upgrade linkflow helm/linkflow --namespace $(K8S_NAMESPACE) --reset-then-reuse-values \
	  -f helm/linkflow/values-$(OVERLAY).yaml $(HELM_ARGS)
