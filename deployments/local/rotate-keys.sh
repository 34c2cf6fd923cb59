#!/usr/bin/env bash
# Rotates auth-service's token signing key, as the `operator` service client.
#
# The new key is published in the JWKS at once and signs after linkflow.auth.signing-key-publish-lead
# (60 s); the previous key stays published until the tokens it signed have expired.
#
#   make rotate-keys                                   # local stack (secret from .linkflow/conf)
#   LINKFLOW_AUTH_URL=https://api.example.com \
#   LINKFLOW_AUTH_CLIENT_OPERATOR_SECRET=... deployments/local/rotate-keys.sh   # any deployment
set -euo pipefail

auth_url=${LINKFLOW_AUTH_URL:-http://localhost:8101}
secret=${LINKFLOW_AUTH_CLIENT_OPERATOR_SECRET:-}
if [[ -z "$secret" && -f .linkflow/conf/secrets.properties ]]; then
  # java.util.Properties escapes '=' and ':' with a backslash
  secret=$(sed -n 's/^LINKFLOW_AUTH_CLIENT_OPERATOR_SECRET=//p' .linkflow/conf/secrets.properties | tr -d '\\')
fi
if [[ -z "$secret" ]]; then
  echo "rotate-keys: set LINKFLOW_AUTH_CLIENT_OPERATOR_SECRET (or run the local stack once)" >&2
  exit 2
fi

token_json=$(curl -fsS -u "operator:${secret}" -d grant_type=client_credentials \
  "${auth_url}/api/v1/auth/token") || { echo "rotate-keys: the operator token was refused" >&2; exit 1; }
token=$(printf '%s' "$token_json" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')

curl -fsS -X POST -H "Authorization: Bearer ${token}" "${auth_url}/api/v1/auth/signing-keys/rotate"
echo
