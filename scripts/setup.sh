#!/usr/bin/env bash
# Installs what logsim's tests and benchmarks need, only where missing:
# npm packages, Deno (outside the dependency tree, see README), and Debian packages.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x node_modules/.bin/bun ] && [ -d node_modules/zod ] && [ -d node_modules/fast-check ] && [ -d node_modules/pino-roll ] || npm install --no-audit --no-fund
[ -x .tools/node_modules/.bin/deno ] || npm install --no-save --no-audit --no-fund --prefix .tools deno@2

need=()
command -v chromium >/dev/null || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "setup: missing ${need[*]}; install them (apt-get install ${need[*]})" >&2
  fi
fi

# goaccess, unpacked from Debian's packages into .tools/deb/goaccess (not installed: no root
# needed to use it): the apache format's test checks that a real log analyser reads every line.
if [ ! -x .tools/deb/goaccess/usr/bin/goaccess ] && ! command -v goaccess >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    deb_dir="$(mktemp -d)"
    (cd "$deb_dir" && { apt-get download goaccess libmaxminddb0 2>/dev/null || { apt-get update -qq && apt-get download goaccess libmaxminddb0; }; }) >/dev/null
    mkdir -p .tools/deb/goaccess
    for deb in "$deb_dir"/*.deb; do dpkg -x "$deb" .tools/deb/goaccess; done
    rm -rf "$deb_dir"
  else
    echo "setup: goaccess missing; run this script as root, or apt-get install goaccess" >&2
  fi
fi

# nginx and Apache, whose real logs the web parser tests read: unpacked into .tools/deb (never
# installed or started as services); skipped when already there.
web_debs=(nginx nginx-common apache2-bin libapr1 libaprutil1)
missing_debs=()
for p in "${web_debs[@]}"; do [ -d ".tools/deb/$p" ] || missing_debs+=("$p"); done
if [ ${#missing_debs[@]} -gt 0 ]; then
  tmp=$(mktemp -d)
  if (cd "$tmp" && { apt-get download "${missing_debs[@]}" >/dev/null 2>&1 || { apt-get update -qq && apt-get download "${missing_debs[@]}" >/dev/null; }; }); then
    for p in "${missing_debs[@]}"; do mkdir -p ".tools/deb/$p" && dpkg -x "$tmp/${p}"_*.deb ".tools/deb/$p"; done
  else
    echo "setup: could not download ${missing_debs[*]}; the nginx and Apache log tests will skip" >&2
  fi
  rm -rf "$tmp"
fi
