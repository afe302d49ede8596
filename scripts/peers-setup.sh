#!/usr/bin/env bash
# Installs what `npm run bench:peers` needs, idempotently, without touching the system:
# rsyslog and syslog-ng as Debian packages unpacked into .tools/peers/<dir> (installed, either
# would replace the system logger), with the libraries they link that the machine lacks, and GNU
# time (CPU seconds and peak RSS of a whole process) when /usr/bin/time is missing. Nothing here
# needs root once the apt lists exist: `apt-get download` and `dpkg -x` work as any user.
# A dir is complete once it holds .complete; `ldd` then proves every library resolves.
set -euo pipefail
cd "$(dirname "$0")/.."

# The JS side (bun, deno, tsx): scripts/setup.sh installs it when it is missing.
[ -x node_modules/.bin/bun ] && [ -x .tools/node_modules/.bin/deno ] || bash scripts/setup.sh

root=.tools/peers
mkdir -p "$root"
lock=(); command -v flock >/dev/null && lock=(flock /tmp/apt.lock)

installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]; }

# The package and, recursively, its hard dependencies that are not installed (virtual and
# alternative dependencies are satisfied by the system already, or ldd says so below).
closure() {
  local todo=("$1") seen=" " p d
  for _ in 1 2 3 4; do
    local next=()
    for p in "${todo[@]}"; do
      case "$seen" in *" $p "*) continue ;; esac
      seen+="$p "
      while read -r d; do
        installed "$d" || next+=("$d")
      done < <(apt-cache depends --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances "$p" 2>/dev/null |
        awk '$1 == "Depends:" && $2 !~ /^</ { print $2 }')
    done
    [ ${#next[@]} -eq 0 ] && break
    todo=("${next[@]}")
  done
  echo "$seen"
}

unpack() { # dir package
  local dir="$root/$1" tmp pkgs
  [ -e "$dir/.complete" ] && return 0
  tmp=$(mktemp -d)
  # shellcheck disable=SC2207
  pkgs=($(closure "$2"))
  echo "peers-setup: $1: unpacking ${pkgs[*]} into $dir" >&2
  download() { (cd "$tmp" && "${lock[@]}" apt-get download "$@" >/dev/null 2>&1); }
  if ! download "${pkgs[@]}"; then
    [ "$(id -u)" = 0 ] && "${lock[@]}" apt-get update -qq >/dev/null 2>&1
    download "${pkgs[@]}" || { echo "peers-setup: cannot download ${pkgs[*]} (apt-get download; run apt-get update as root?)" >&2; rm -rf "$tmp"; return 1; }
  fi
  rm -rf "$dir" && mkdir -p "$dir"
  for f in "$tmp"/*.deb; do dpkg -x "$f" "$dir"; done
  rm -rf "$tmp"
  touch "$dir/.complete"
}

# Every binary and module of a dir links with the libraries of the dir or of the system.
check_links() { # dir files...
  local dir="$root/$1" lib missing=""; shift
  lib="$dir/usr/lib/x86_64-linux-gnu:$dir/lib/x86_64-linux-gnu:$dir/usr/lib/syslog-ng"
  for f in "$@"; do
    missing+=$(LD_LIBRARY_PATH="$lib" ldd "$f" 2>/dev/null | awk -v f="$f" '/not found/ { print "  " f ": " $1 }')
  done
  if [ -n "$missing" ]; then
    echo "peers-setup: $1: libraries not found:" >&2; echo "$missing" >&2
    rm -f "$dir/.complete"; return 1
  fi
}

status=0
unpack rsyslog rsyslog && check_links rsyslog "$root/rsyslog/usr/sbin/rsyslogd" "$root"/rsyslog/usr/lib/x86_64-linux-gnu/rsyslog/{imfile,mmjsonparse}.so || status=1
unpack syslog-ng syslog-ng-core && check_links syslog-ng "$root/syslog-ng/usr/sbin/syslog-ng" "$root"/syslog-ng/usr/lib/syslog-ng/3.*/*.so || status=1
if [ ! -x /usr/bin/time ]; then unpack time time || status=1; fi
exit $status
