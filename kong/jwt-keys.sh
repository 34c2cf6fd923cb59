#!/usr/bin/env bash
# Prints the jwt_secrets of Kong consumer linkflow-users for every RSA key auth-service publishes,
# as the indented block the Kong pod appends to kong/kong.yml (kong/README.md, "JWT keys").
#
#   kong/jwt-keys.sh [JWKS]   JWKS: a URL (default: the public one) or a file
#
# Each key becomes `key: <kid>` with its public key in PEM, so tokens of the current key and of the
# next one (published before it signs) verify at Kong. Needs curl, jq and openssl.
set -euo pipefail

src=${1:-https://api.linkflow.example.com/api/v1/auth/jwks}
if [[ -f $src ]]; then
  jwks=$(cat "$src")
else
  jwks=$(curl -fsS --max-time 10 "$src")
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# base64url (JWK) to hex
b64url_hex() {
  local s=${1//-/+}
  s=${s//_//}
  case $((${#s} % 4)) in
    2) s+="==" ;;
    3) s+="=" ;;
  esac
  printf '%s' "$s" | base64 -d | od -An -v -tx1 | tr -d ' \n'
}

echo "    jwt_secrets:"
count=0
while IFS=$'\t' read -r kid n e; do
  # RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (PKCS#1), then PEM
  printf 'asn1=SEQUENCE:key\n[key]\nn=INTEGER:0x%s\ne=INTEGER:0x%s\n' \
    "$(b64url_hex "$n")" "$(b64url_hex "$e")" >"$tmp/key.conf"
  openssl asn1parse -genconf "$tmp/key.conf" -out "$tmp/key.der" -noout
  # `secret` is only used by HS* algorithms; Kong (and deck) want one: a random, never-used value.
  printf '      - key: %s\n        algorithm: RS256\n        secret: %s\n        rsa_public_key: |\n' \
    "$kid" "$(openssl rand -hex 32)"
  openssl rsa -RSAPublicKey_in -inform DER -in "$tmp/key.der" -pubout 2>/dev/null | sed 's/^/          /'
  count=$((count + 1))
done < <(jq -r '.keys[] | select(.kty == "RSA" and (.use // "sig") == "sig") | [.kid, .n, .e] | @tsv' <<<"$jwks")

if ((count == 0)); then
  echo "jwt-keys.sh: no RSA signing key in $src" >&2
  exit 1
fi
