#!/usr/bin/env bash
# A throwaway PostgreSQL for tests: initdb into a temp dir, listen on 127.0.0.1 on a free
# port, print the settings as KEY=VALUE lines on stdout (everything else goes to stderr).
#   scripts/pg-test.sh            start; prints DATABASE_URL=... and PGTEST_DIR=...
#   scripts/pg-test.sh stop DIR   stop the cluster started in DIR and delete DIR
# PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user.
set -euo pipefail

bindir="${PG_BINDIR:-}"
if [ -z "$bindir" ]; then
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ]; then bindir="$d"; break; fi
  done
fi
if [ -z "$bindir" ] && command -v initdb >/dev/null 2>&1; then bindir="$(dirname "$(command -v initdb)")"; fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "pg-test: no PostgreSQL binaries (apt-get install postgresql)" >&2
  exit 3
fi

as_owner() {
  if [ "$(id -u)" = "0" ]; then
    # runuser needs no password and no tty; `su` is the fallback.
    if command -v runuser >/dev/null 2>&1; then runuser -u postgres -- "$@"; else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi
  else
    "$@"
  fi
}

if [ "${1:-}" = "stop" ]; then
  dir="${2:?usage: pg-test.sh stop DIR}"
  as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || true
  rm -rf "$dir"
  exit 0
fi

dir="$(mktemp -d /tmp/pgtest.XXXXXX)"
chmod 755 "$dir"
if [ "$(id -u)" = "0" ]; then chown postgres "$dir"; fi
# process.stdout.write, not console.log: under FORCE_COLOR (Playwright sets it) console.log
# colours a number, and PostgreSQL refuses "\e[33m41601\e[39m" as a port.
port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close()})')"

as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
  as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    rm -rf "$dir"
    exit 1
  }
# Durability is pointless for a throwaway cluster; these keep the tests fast.
as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >&2 || {
    cat "$dir/server.log" >&2
    rm -rf "$dir"
    exit 1
  }
echo "DATABASE_URL=postgresql://postgres@127.0.0.1:$port/postgres"
echo "PGTEST_DIR=$dir"
