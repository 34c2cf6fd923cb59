#!/usr/bin/env bash
# Prints a JDK home of version 21 or newer: $JAVA_HOME when it qualifies, else the newest JDK under
# /usr/lib/jvm. Exits 1 with a clear message when there is none.
set -euo pipefail

major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

if [[ -n "${JAVA_HOME:-}" && -x "${JAVA_HOME}/bin/java" ]]; then
  v=$(major "$JAVA_HOME" || echo 0)
  if [[ "${v:-0}" -ge 21 ]]; then
    echo "$JAVA_HOME"
    exit 0
  fi
fi

best="" best_v=0
for dir in /usr/lib/jvm/*/; do
  dir=${dir%/}
  [[ -x "$dir/bin/java" && -x "$dir/bin/javac" && ! -L "$dir" ]] || continue
  v=$(major "$dir" || echo 0)
  if [[ "${v:-0}" -ge 21 && "$v" -gt "$best_v" ]]; then
    best=$dir best_v=$v
  fi
done

if [[ -z "$best" ]]; then
  echo "LinkFlow needs a JDK 21 or newer: set JAVA_HOME to one, or install one under /usr/lib/jvm." >&2
  exit 1
fi
echo "$best"
