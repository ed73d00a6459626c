#!/usr/bin/env bash
# Installs, builds and runs every test: unit tests and the API suite on SQLite and on a throwaway
# PostgreSQL cluster, then the browser test against the real server in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
scripts/install-deps.sh
scripts/build.sh build

work=$(mktemp -d /tmp/sy-test.XXXXXX)
chmod 755 "$work"  # the PostgreSQL server runs as user postgres and must reach $work/pg
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  scripts/pg-cluster.sh stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== unit tests (SQLite)"
build/tests/unit_tests --gtest_brief=1
echo "== API tests (SQLite)"
build/tests/api_tests --gtest_brief=1

echo "== starting a throwaway PostgreSQL cluster"
pg_url=$(scripts/pg-cluster.sh start "$work/pg")
echo "== unit tests (PostgreSQL)"
SY_TEST_PG_URL=$pg_url build/tests/unit_tests --gtest_brief=1
echo "== API tests (PostgreSQL)"
SY_TEST_PG_URL=$pg_url build/tests/api_tests --gtest_brief=1
scripts/pg-cluster.sh stop "$work/pg"

echo "== browser tests (headless Chromium)"
build/shuangyong demo --db "$work/e2e.db" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
build/shuangyong serve --db "$work/e2e.db" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
(cd web && SY_BASE_URL="http://127.0.0.1:$port" npm run --silent e2e)
echo "== all tests passed"
