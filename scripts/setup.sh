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

# Debian packages for the syslog and journald tests, unpacked into .tools/deb/<package> and never
# installed (installing rsyslog would replace the system logger and start daemons): rsyslogd and
# systemd-journal-remote, with the libraries a stock Debian lacks. The tests skip without them.
debs=()
[ -x .tools/deb/rsyslog/usr/sbin/rsyslogd ] || debs+=(rsyslog:rsyslog rsyslog:libestr0 rsyslog:libfastjson4)
[ -x .tools/deb/systemd-journal-remote/lib/systemd/systemd-journal-remote ] || debs+=(systemd-journal-remote:systemd-journal-remote systemd-journal-remote:libmicrohttpd12)
if [ ${#debs[@]} -gt 0 ] && command -v apt-get >/dev/null && command -v dpkg >/dev/null; then
  tmp=$(mktemp -d)
  pkgs=()
  for d in "${debs[@]}"; do pkgs+=("${d#*:}"); done
  lock=(); command -v flock >/dev/null && lock=(flock /tmp/apt.lock)
  if (cd "$tmp" && { "${lock[@]}" apt-get download "${pkgs[@]}" >/dev/null 2>&1 || { "${lock[@]}" apt-get update -qq && "${lock[@]}" apt-get download "${pkgs[@]}" >/dev/null 2>&1; }; }); then
    for d in "${debs[@]}"; do
      for f in "$tmp/${d#*:}"_*.deb; do [ -f "$f" ] && mkdir -p ".tools/deb/${d%%:*}" && dpkg -x "$f" ".tools/deb/${d%%:*}"; done
    done
  else
    echo "setup: cannot download ${pkgs[*]}; the rsyslog and journald tests will skip" >&2
  fi
  rm -rf "$tmp"
fi
