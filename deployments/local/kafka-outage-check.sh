#!/usr/bin/env bash
# Stops Kafka, measures seconds until every service's /health/ready is 503, restarts, measures until 200.
STACK="java -cp $(cat libs/local-stack/target/classpath.txt):libs/local-stack/target/classes io.linkflow.localstack.LocalStack"
count() { for p in $(seq 8101 8116); do curl -s -o /dev/null -w '%{http_code}\n' --max-time 5 localhost:$p/health/ready & done | grep -c "^$1$"; }
t0=$(date +%s.%N); $STACK infra-stop kafka >/dev/null; t1=$(date +%s.%N)
echo "kafka stopped in $(echo "$t1-$t0" | bc) s"
while true; do n=$(count 503); el=$(echo "$(date +%s.%N)-$t1" | bc); echo "  +${el}s: $n/16 not ready"; [[ $n == 16 ]] && break; (( $(echo "$el > 60" | bc) )) && break; sleep 0.5; done
curl -s localhost:8103/health/ready; echo
t2=$(date +%s.%N); $STACK infra-start kafka >/dev/null; t3=$(date +%s.%N)
echo "kafka started in $(echo "$t3-$t2" | bc) s"
while true; do n=$(count 200); el=$(echo "$(date +%s.%N)-$t3" | bc); echo "  +${el}s: $n/16 ready"; [[ $n == 16 ]] && break; (( $(echo "$el > 60" | bc) )) && break; sleep 0.5; done
