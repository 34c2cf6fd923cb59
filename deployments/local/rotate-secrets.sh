#!/usr/bin/env bash
# The master-key rotation command: as the `operator` service client, asks every service that keeps
# secrets at rest (variable-, credential- and webhook-service) to rewrap them under its primary master key
# now, and prints how many it rewrapped and how many are left. Run it after making a new key primary
# (see docs/operations.md "Rotating the master keys"); when every service answers "remaining": 0,
# the old key can be removed from configuration.
#
#   make rotate-secrets                                 # local stack (secret from .linkflow/conf)
#   LINKFLOW_AUTH_URL=https://auth.example LINKFLOW_AUTH_CLIENT_OPERATOR_SECRET=... \
#   VARIABLE_URL=http://localhost:18108 CREDENTIAL_URL=http://localhost:18107 WEBHOOK_URL=http://localhost:18109 \
#   deployments/local/rotate-secrets.sh                # any deployment (e.g. kubectl port-forward)
set -euo pipefail

auth_url=${LINKFLOW_AUTH_URL:-http://localhost:8101}
services=("variable-service ${VARIABLE_URL:-http://localhost:8108}"
          "credential-service ${CREDENTIAL_URL:-http://localhost:8107}"
          "webhook-service ${WEBHOOK_URL:-http://localhost:8109}")
secret=${LINKFLOW_AUTH_CLIENT_OPERATOR_SECRET:-}
if [[ -z "$secret" && -f .linkflow/conf/secrets.properties ]]; then
  # java.util.Properties escapes '=' and ':' with a backslash
  secret=$(sed -n 's/^LINKFLOW_AUTH_CLIENT_OPERATOR_SECRET=//p' .linkflow/conf/secrets.properties | tr -d '\\')
fi
if [[ -z "$secret" ]]; then
  echo "rotate-secrets: set LINKFLOW_AUTH_CLIENT_OPERATOR_SECRET (or run the local stack once)" >&2
  exit 2
fi

token_json=$(curl -fsS -u "operator:${secret}" -d grant_type=client_credentials \
  "${auth_url}/api/v1/auth/token") || { echo "rotate-secrets: the operator token was refused" >&2; exit 1; }
token=$(printf '%s' "$token_json" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')

status=0
for entry in "${services[@]}"; do
  name=${entry%% *}; url=${entry#* }
  printf '%-20s ' "$name"
  if ! curl -fsS -X POST -H "Authorization: Bearer ${token}" "${url}/internal/v1/secrets/rewrap"; then
    status=1
  fi
  echo
done
exit $status
