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
        check-outage rotate-keys rotate-secrets bench logs docker-build docker-push k8s-deploy helm-install helm-upgrade

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

docker-build: ## Build a container image per service (needs a container builder)
	@echo "docker-build: no container build is defined yet (the deployment issue adds Jib images)," \
	      "and this machine has no Docker engine." >&2; exit 2

docker-push: ## Push the service images to the registry
	@echo "docker-push: no images are built yet (see docker-build)." >&2; exit 2

k8s-deploy: ## Apply the production kustomize overlay with kubectl
	@echo "k8s-deploy: deployments/k8s is not written yet (deployment issue), and it needs kubectl" \
	      "with a cluster context." >&2; exit 2

helm-install: ## Install the Helm chart helm/linkflow
	@echo "helm-install: helm/linkflow is not written yet (deployment issue), and it needs the helm CLI" \
	      "with a cluster context." >&2; exit 2

helm-upgrade: ## Upgrade the Helm release, e.g. --set services.workflow.image.tag=v1.2.3
	@echo "helm-upgrade: helm/linkflow is not written yet (deployment issue)." >&2; exit 2
