#!/usr/bin/env bash
# Installs what logsim's tests and benchmarks need, only where missing:
# npm packages, Deno (outside the dependency tree, see README), and Debian packages.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x node_modules/.bin/bun ] && [ -d node_modules/zod ] && [ -d node_modules/fast-check ] && [ -d node_modules/pino-roll ] && [ -d node_modules/@nats-io/jetstream ] || npm install --no-audit --no-fund
# .tools is an npm project of its own (Deno stays out of logsim's dependencies); its package.json
# allows deno's postinstall (it puts the platform binary in place), so npm does not warn about it.
[ -f .tools/package.json ] || { mkdir -p .tools && printf '{ "private": true, "allowScripts": { "deno": true } }\n' > .tools/package.json; }
[ -x .tools/node_modules/.bin/deno ] || npm install --no-save --no-audit --no-fund --prefix .tools deno@2

need=()
command -v chromium >/dev/null || need+=(chromium)
command -v nats-server >/dev/null || need+=(nats-server)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "setup: missing ${need[*]}; install them (apt-get install ${need[*]})" >&2
  fi
fi

# Real programs the tests read logs from, as Debian packages unpacked into .tools/deb/<dir> and
# never installed (rsyslog would replace the system logger; nginx and Apache would start as
# services). Each entry is dir:package; a dir is complete once it holds .complete. Tests that need
# a program skip with a reason when it is missing.
debs=(
  goaccess:goaccess goaccess:libmaxminddb0
  nginx:nginx nginx-common:nginx-common apache2-bin:apache2-bin libapr1:libapr1 libaprutil1:libaprutil1
  rsyslog:rsyslog rsyslog:libestr0 rsyslog:libfastjson4
  systemd-journal-remote:systemd-journal-remote systemd-journal-remote:libmicrohttpd12
  ruby3.1:ruby3.1 ruby3.1:libruby3.1 ruby3.1:ruby-rubygems ruby3.1:rubygems-integration
  python3-logging:python3-pythonjsonlogger python3-logging:python3-structlog
)
wanted=()
for d in "${debs[@]}"; do [ -e ".tools/deb/${d%%:*}/.complete" ] || wanted+=("$d"); done
if [ ${#wanted[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && command -v dpkg >/dev/null; then
    tmp=$(mktemp -d)
    pkgs=()
    for d in "${wanted[@]}"; do pkgs+=("${d#*:}"); done
    lock=(); command -v flock >/dev/null && lock=(flock /tmp/apt.lock)
    download() { (cd "$tmp" && "${lock[@]}" apt-get download "$@" >/dev/null 2>&1); }
    download "${pkgs[@]}" || { "${lock[@]}" apt-get update -qq >/dev/null 2>&1; download "${pkgs[@]}"; } || {
      # One package the mirror lacks must not cost the others: fetch them one by one.
      for p in "${pkgs[@]}"; do download "$p" || echo "setup: cannot download $p; the tests that need it will skip" >&2; done
    }
    for d in "${wanted[@]}"; do
      for f in "$tmp/${d#*:}"_*.deb; do [ -f "$f" ] && mkdir -p ".tools/deb/${d%%:*}" && dpkg -x "$f" ".tools/deb/${d%%:*}"; done
    done
    for d in "${wanted[@]}"; do ls "$tmp/${d#*:}"_*.deb >/dev/null 2>&1 || touch "$tmp/missing-${d%%:*}"; done
    for d in "${wanted[@]}"; do [ -e "$tmp/missing-${d%%:*}" ] || touch ".tools/deb/${d%%:*}/.complete"; done
    rm -rf "$tmp"
  else
    echo "setup: run as root to unpack the Debian packages the program tests use (${wanted[*]%%:*}); those tests will skip" >&2
  fi
fi
