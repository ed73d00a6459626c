#!/usr/bin/env bash
# Builds the web app (web/dist) and the binary (build/shuangyong), which embeds the web app, the
# schema migrations and the national region list. Usage: scripts/build.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
echo "== building web app"
(cd web && npm run build --silent >/dev/null)
echo "== building shuangyong (${build_dir})"
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build_dir" -j"$(nproc)" -- --no-print-directory 2>&1 | grep -vE '^\[|^(Scanning|Consolidate|Built target)' || true
test -x "$build_dir/shuangyong" || { echo "build failed" >&2; exit 1; }
