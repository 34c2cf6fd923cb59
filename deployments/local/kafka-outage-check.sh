#!/usr/bin/env bash
# Against a running `make run-local`: stops Kafka, measures how long until every service's
# /health/ready answers 503, starts Kafka again and measures how long until all answer 200.
# Exits non-zero if either takes longer than the limit (default 10 s; first argument).
set -euo pipefail
cd "$(dirname "$0")/../.."
limit=${1:-10}
java_home=$(deployments/local/java-home.sh)
stack() {
  "$java_home/bin/java" -cp "$(cat libs/local-stack/target/classpath.txt):libs/local-stack/target/classes" \
    io.linkflow.localstack.LocalStack "$@" >/dev/null
}
count() { # how many of the 16 services answer /health/ready with status $1 (probed in parallel)
  for port in $(seq 8101 8116); do
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 5 "localhost:$port/health/ready" &
  done | grep -c "^$1$" || true
}
await() { # $1 status, $2 label; prints the seconds it took, fails past the limit
  local start=$(date +%s.%N) n elapsed
  while true; do
    n=$(count "$1"); elapsed=$(echo "$(date +%s.%N) - $start" | bc)
    if [[ $n == 16 ]]; then printf '%s: all 16 services after %.1f s\n' "$2" "$elapsed"; return 0; fi
    if (( $(echo "$elapsed > $limit" | bc) )); then
      printf '%s: only %s of 16 services after %.1f s\n' "$2" "$n" "$elapsed" >&2; return 1
    fi
    sleep 0.5
  done
}
[[ $(count 200) == 16 ]] || { echo "Start the platform first: make run-local" >&2; exit 2; }
stack infra-stop kafka
await 503 "Kafka stopped, readiness 503"
curl -s localhost:8103/health/ready; echo
stack infra-start kafka
await 200 "Kafka restarted, readiness 200"
