#!/bin/sh
# LinkFlow PostgreSQL backups: pg_dump of every LinkFlow database to S3, and the way back.
#
# One POSIX sh script for the CronJob (helm/linkflow/templates/observability/backup.yaml mounts it
# from a ConfigMap) and for operators restoring by hand (docs/operations.md "Backup and restore").
# The same file is run against a real PostgreSQL and a real S3 API by PostgresBackupScriptTest.
#
#   pg-backup.sh dump               pg_dump -Fc of each database in BACKUP_DATABASES into
#                                   BACKUP_DIR/<stamp>/ plus SHA256SUMS; writes BACKUP_DIR/STAMP
#   pg-backup.sh upload             sends BACKUP_DIR/<stamp>/* to s3://S3_BUCKET/S3_PREFIX/<stamp>/,
#                                   SHA256SUMS last: a backup without it is incomplete
#   pg-backup.sh list               the stamps of complete backups under S3_PREFIX, oldest first
#   pg-backup.sh fetch <stamp>      downloads one backup into BACKUP_DIR/<stamp>/ and checks it
#   pg-backup.sh restore <stamp> <database> <target database>
#                                   pg_restore of <database>.dump from a fetched backup into
#                                   <target database> (created if missing, never the live one)
#
# Environment: PGHOST, PGPORT, PGUSER, PGPASSWORD (libpq's own variables), BACKUP_DATABASES
# (space or comma separated), BACKUP_DIR (default /backup), S3_ENDPOINT (https://s3.<region>.
# amazonaws.com or any S3 API), S3_BUCKET, S3_PREFIX (default postgres), S3_REGION (default
# us-east-1), AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY. S3 calls are plain curl with AWS
# Signature V4 (curl 7.75+), path-style, so the upload container needs nothing but curl.
set -eu

BACKUP_DIR=${BACKUP_DIR:-/backup}
S3_PREFIX=${S3_PREFIX:-postgres}
S3_REGION=${S3_REGION:-us-east-1}

log() {
  printf '%s pg-backup %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2
}

fail() {
  log "ERROR: $*"
  exit 1
}

need() {
  for variable in "$@"; do
    eval "value=\${$variable:-}"
    [ -n "$value" ] || fail "$variable is not set"
  done
}

databases() {
  need BACKUP_DATABASES
  printf '%s\n' "$BACKUP_DATABASES" | tr ',' ' '
}

# s3 <target> <curl arguments...>: one signed request to S3_ENDPOINT/S3_BUCKET<target>, where
# <target> is /<key> for an object or ?<query> for the bucket (query values percent-encoded).
s3() {
  need S3_ENDPOINT S3_BUCKET AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
  s3_target=$1
  shift
  # x-amz-content-sha256 is part of what S3 signs; UNSIGNED-PAYLOAD lets curl stream the body.
  # The payload is still checked end to end: SHA256SUMS is verified after every fetch.
  curl --fail --silent --show-error --retry 3 --retry-delay 2 \
    --aws-sigv4 "aws:amz:${S3_REGION}:s3" \
    --user "${AWS_ACCESS_KEY_ID}:${AWS_SECRET_ACCESS_KEY}" \
    --header 'x-amz-content-sha256: UNSIGNED-PAYLOAD' \
    "$@" "${S3_ENDPOINT%/}/${S3_BUCKET}${s3_target}"
}

dump() {
  need PGHOST PGUSER
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  target="$BACKUP_DIR/$stamp"
  mkdir -p "$target"
  for database in $(databases); do
    case $database in
      *[!a-z0-9_]*) fail "not a plain database name: $database" ;;
    esac
    log "dumping $database"
    # Custom format: compressed, restorable table by table, readable by newer pg_restore.
    pg_dump --format=custom --compress=6 --no-password --dbname="$database" \
      --file="$target/$database.dump"
    # A dump pg_restore cannot list is no backup: fail now rather than at restore time.
    pg_restore --list "$target/$database.dump" >/dev/null
  done
  (cd "$target" && sha256sum -- *.dump >SHA256SUMS)
  printf '%s\n' "$stamp" >"$BACKUP_DIR/STAMP"
  log "dumped $(databases | wc -w) databases into $target ($(du -sk "$target" | cut -f1) KiB)"
}

upload() {
  [ -f "$BACKUP_DIR/STAMP" ] || fail "no dump in $BACKUP_DIR (run dump first)"
  stamp=$(cat "$BACKUP_DIR/STAMP")
  source="$BACKUP_DIR/$stamp"
  for file in "$source"/*.dump; do
    log "uploading $(basename "$file")"
    s3 "/$S3_PREFIX/$stamp/$(basename "$file")" --upload-file "$file" >/dev/null
  done
  # Written last: its presence marks the backup complete (list shows only complete ones).
  s3 "/$S3_PREFIX/$stamp/SHA256SUMS" --upload-file "$source/SHA256SUMS" >/dev/null
  log "uploaded s3://$S3_BUCKET/$S3_PREFIX/$stamp/"
}

# Percent-encodes what can occur in a prefix or a continuation token (SigV4 signs the encoded
# query, so it must be encoded exactly once).
encode() {
  printf '%s' "$1" | sed 's|%|%25|g; s|+|%2B|g; s|/|%2F|g; s|=|%3D|g; s| |%20|g'
}

list() {
  # ListObjectsV2, 1000 keys a page, continuation-token pages on; a complete backup is a
  # prefix with its SHA256SUMS.
  token=''
  stamps=''
  while :; do
    query="list-type=2&prefix=$(encode "$S3_PREFIX/")"
    [ -z "$token" ] || query="$query&continuation-token=$(encode "$token")"
    page=$(s3 "?$query")
    stamps="$stamps
$(printf '%s\n' "$page" | tr '<' '\n' | sed -n "s|^Key>$S3_PREFIX/\([^/]*\)/SHA256SUMS$|\1|p")"
    token=$(printf '%s\n' "$page" | tr '<' '\n' | sed -n 's|^NextContinuationToken>||p')
    [ -n "$token" ] || break
  done
  printf '%s\n' "$stamps" | sed '/^$/d' | sort
}

fetch() {
  stamp=${1:?usage: pg-backup.sh fetch <stamp>}
  target="$BACKUP_DIR/$stamp"
  mkdir -p "$target"
  s3 "/$S3_PREFIX/$stamp/SHA256SUMS" --output "$target/SHA256SUMS"
  for file in $(sed 's/^[0-9a-f]*  *//' "$target/SHA256SUMS"); do
    log "downloading $file"
    s3 "/$S3_PREFIX/$stamp/$file" --output "$target/$file"
  done
  (cd "$target" && sha256sum -c SHA256SUMS >&2) || fail "checksum mismatch in $target"
  log "fetched $stamp into $target"
}

restore() {
  stamp=${1:?usage: pg-backup.sh restore <stamp> <database> <target database>}
  database=${2:?usage: pg-backup.sh restore <stamp> <database> <target database>}
  into=${3:?usage: pg-backup.sh restore <stamp> <database> <target database>}
  need PGHOST PGUSER
  file="$BACKUP_DIR/$stamp/$database.dump"
  [ -f "$file" ] || fail "$file not found (run fetch $stamp first)"
  case $into in
    *[!a-z0-9_]*) fail "not a plain database name: $into" ;;
  esac
  exists=$(psql --no-password --dbname=postgres --tuples-only --no-align \
    --command="SELECT 1 FROM pg_database WHERE datname = '$into'")
  if [ -z "$exists" ]; then
    log "creating database $into"
    psql --no-password --dbname=postgres --quiet --command="CREATE DATABASE $into"
  fi
  log "restoring $database from $stamp into $into"
  # --no-owner/--no-acl: the target may belong to another role than the one that was dumped.
  # --exit-on-error: a partial restore must not look like a good one.
  pg_restore --no-password --no-owner --no-acl --exit-on-error --single-transaction \
    --dbname="$into" "$file"
  log "restored $database into $into"
}

command=${1:-}
[ $# -eq 0 ] || shift
case $command in
  dump) dump ;;
  upload) upload ;;
  list) list ;;
  fetch) fetch "$@" ;;
  restore) restore "$@" ;;
  *)
    echo "usage: pg-backup.sh dump | upload | list | fetch <stamp> | restore <stamp> <database> <target database>" >&2
    exit 2
    ;;
esac
