#!/usr/bin/env bash
# Installs what building, running and testing Shuangyong needs on Debian 12 (run as root):
# C++ libraries and tools from Debian's packages, web packages from npm (web/package-lock.json).
# Fast when everything is already there: apt is only asked for what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config
  libsqlite3-dev libpq-dev libsodium-dev libcpp-httplib-dev nlohmann-json3-dev libcli11-dev
  libxlsxwriter-dev libzip-dev libpugixml-dev libicu-dev zlib1g-dev libssl-dev libgtest-dev libgmock-dev libbenchmark-dev
  postgresql chromium fonts-noto-cjk wrk curl python3
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then missing+=(nodejs npm); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Web packages, exactly as locked; skipped when node_modules was installed from this same lock file.
if ! cmp -s web/package-lock.json web/node_modules/.sy-installed-lock 2>/dev/null; then
  echo "== npm ci (web/)"
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
  cp web/package-lock.json web/node_modules/.sy-installed-lock
fi
