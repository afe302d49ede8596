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
