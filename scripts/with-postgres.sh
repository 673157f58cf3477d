#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 cluster (initdb in a temporary folder, a Unix
# socket, no TCP port), with CROSSTRACK_DATABASE_URL pointing at it; removed afterwards.
#   scripts/with-postgres.sh .venv/bin/crosstrack bench load --events 200000 --database-url '$CROSSTRACK_DATABASE_URL'
set -euo pipefail
root=$(mktemp -d /tmp/crosstrack-pg.XXXXXX)
as=()
if [ "$(id -u)" -eq 0 ]; then chown postgres "$root"; as=(runuser -u postgres --); fi  # initdb refuses root
bin=$(dirname "$(readlink -f "$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb | tail -1)")")
"${as[@]}" "$bin/initdb" -D "$root/data" -U postgres --auth=trust -E UTF8 >/dev/null
"${as[@]}" "$bin/pg_ctl" -D "$root/data" -w -l "$root/log" \
  -o "-k $root -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
trap '"${as[@]}" "$bin/pg_ctl" -D "$root/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$root"' EXIT
"$bin/createdb" -h "$root" -U postgres crosstrack
export CROSSTRACK_DATABASE_URL="postgresql+psycopg://postgres@/crosstrack?host=$root"
eval "$*"
