#!/usr/bin/env bash
# The test command: installs what the tests need on a fresh machine, then runs
# every test file under Bun, Deno and Node. Usage: npm test [-- bun|deno|node ...]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PWD/.tools/node_modules/.bin:$PATH"

bash scripts/setup.sh

mapfile -t files < <(find core plugins runtime tests testing examples -name '*.test.ts' -not -name '*.long.test.ts' -not -path '*/node_modules/*' | sort)
runtimes=("$@")
[ ${#runtimes[@]} -eq 0 ] && runtimes=(bun deno node)

status=0
echo "=== type check (tsc) ==="
tsc -p . || status=1

# The package test installs the packed tarball in a fresh project under each runtime: pack once.
pack_dir=$(mktemp -d)
trap 'rm -rf "$pack_dir"' EXIT
if tarball=$(npm pack --silent --pack-destination "$pack_dir" 2>/dev/null | tail -1) && [ -f "$pack_dir/$tarball" ]; then
  export LOGSIM_TEST_TARBALL="$pack_dir/$tarball"
fi

for rt in "${runtimes[@]}"; do
  echo "=== tests under $rt ==="
  start=$(date +%s)
  case "$rt" in
    bun)  bun test --timeout 120000 "${files[@]/#/./}" || status=1 ;;
    deno) deno test -A --quiet "${files[@]}" || status=1 ;;
    node)
      # One process for all files (see scripts/node-tests.mjs), but those with top-level hooks.
      mapfile -t own < <(grep -lE '^(before|after|beforeEach|afterEach)\(' "${files[@]}" || true)
      mapfile -t shared < <(printf '%s\n' "${files[@]}" | grep -vxF -f <(printf '%s\n' "${own[@]}" ""))
      node --conditions=source --import tsx scripts/node-tests.mjs "${shared[@]}" || status=1
      [ ${#own[@]} -eq 0 ] || node --conditions=source --import tsx --test --test-concurrency=1 "${own[@]}" || status=1
      ;;
    *) echo "unknown runtime $rt"; exit 2 ;;
  esac
  echo "=== $rt: $(( $(date +%s) - start ))s ==="
done
exit $status
