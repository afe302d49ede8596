#!/usr/bin/env bash
# The test command: installs what the tests need on a fresh machine, then runs
# every test file under Bun, Deno and Node. Usage: npm test -- [bun|deno|node ...] [FILE.test.ts ...]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PWD/.tools/node_modules/.bin:$PATH"

bash scripts/setup.sh

runtimes=(); files=()
for arg in "$@"; do case "$arg" in bun|deno|node) runtimes+=("$arg") ;; *) files+=("${arg#./}") ;; esac; done
[ ${#files[@]} -eq 0 ] && mapfile -t files < <(find core plugins runtime tests testing examples -name '*.test.ts' -not -name '*.long.test.ts' -not -path '*/node_modules/*' | sort)
[ ${#runtimes[@]} -eq 0 ] && runtimes=(bun deno node)

status=0
echo "=== type check (tsc) ==="
tsc_status=0
tsc -p . || { status=1; tsc_status=1; }

# The package test installs the packed tarball in a fresh project under each runtime: pack once.
pack_dir=$(mktemp -d)
if tarball=$(npm pack --silent --pack-destination "$pack_dir" 2>/dev/null | tail -1) && [ -f "$pack_dir/$tarball" ]; then
  export LOGSIM_TEST_TARBALL="$pack_dir/$tarball"
fi

# Each runtime's output is also kept, to name its failed tests at the very end (CI shows only the
# tail of the output). A failed file is run once more, alone: a test that fails and then passes is
# named as flaky in the summary, so it gets fixed, and does not fail the run; one that fails again does.
logs=$(mktemp -d)
trap 'rm -rf "$pack_dir" "$logs"' EXIT
run_files() { # runtime file...
  local rt=$1; shift
  case "$rt" in
    bun)  bun test --timeout 120000 "${@/#/./}" ;;
    deno) deno test -A --quiet "$@" ;;
    node) node --conditions=source --import tsx --test --test-concurrency=1 "$@" ;;
  esac
}
# Files with hooks at their top level (`before(`, `after(` ...) get a run of their own under Deno
# and Node, which run the other files in one process (see scripts/tests-in-one.mjs).
mapfile -t own < <(grep -lE '^(before|after|beforeEach|afterEach)\(' "${files[@]}" || true)
mapfile -t shared < <(printf '%s\n' "${files[@]}" | grep -vxF -f <(printf '%s\n' "${own[@]}" "") || true)
summary=()
for rt in "${runtimes[@]}"; do
  echo "=== tests under $rt ==="
  start=$(date +%s)
  rt_status=0
  case "$rt" in
    bun)  run_files bun "${files[@]}" 2>&1 | tee "$logs/$rt.log" || rt_status=1 ;;
    deno)
      # One module graph for all files (see scripts/tests-in-one.mjs), but those with top-level hooks;
      # the files are not type-checked by Deno there: runtime/deno, the code only Deno runs, is.
      # A type error names no test (a rerun could not clear it): it fails the run by itself.
      deno check runtime/deno/main.ts runtime/deno/worker.ts 2>&1 | tee "$logs/$rt.log" || { status=1; summary+=("deno check: FAILED (see its output above)"); }
      [ ${#shared[@]} -eq 0 ] || deno test -A --quiet scripts/tests-in-one.mjs -- "${shared[@]}" 2>&1 | tee -a "$logs/$rt.log" || rt_status=1
      [ ${#own[@]} -eq 0 ] || run_files deno "${own[@]}" 2>&1 | tee -a "$logs/$rt.log" || rt_status=1
      ;;
    node)
      # One process for all files (see scripts/tests-in-one.mjs), but those with top-level hooks.
      [ ${#shared[@]} -eq 0 ] || node --conditions=source --import tsx scripts/tests-in-one.mjs "${shared[@]}" 2>&1 | tee "$logs/$rt.log" || rt_status=1
      [ ${#own[@]} -eq 0 ] || run_files node "${own[@]}" 2>&1 | tee -a "$logs/$rt.log" || rt_status=1
      ;;
    *) echo "unknown runtime $rt"; exit 2 ;;
  esac
  if [ $rt_status -ne 0 ]; then
    mapfile -t again < <(node scripts/test-failures.mjs "$rt" "$logs/$rt.log" files)
    named=1
    for f in "${again[@]}"; do [[ "$f" == *.test.ts && -f "$f" ]] || named=0; done
    verdicts=()
    if [ ${#again[@]} -gt 0 ] && [ ${#again[@]} -le 5 ] && [ $named -eq 1 ]; then
      summary+=("$rt: failed tests; each file was run once more, alone:")
      for f in "${again[@]}"; do
        echo "=== $rt: running again, alone: $f ==="
        if run_files "$rt" "$f"; then verdicts+=("$f=FLAKY, passed alone (fix it)"); else verdicts+=("$f=FAILED twice"); status=1; fi
      done
    else
      status=1
      summary+=("$rt: FAILED$([ ${#again[@]} -eq 0 ] && echo '; no failed test named, see its output above'):")
    fi
    summary+=("$(node scripts/test-failures.mjs "$rt" "$logs/$rt.log" report "${verdicts[@]}")")
  else
    summary+=("$rt: passed")
  fi
  echo "=== $rt: $(( $(date +%s) - start ))s ==="
done
echo "=== summary ==="
[ $tsc_status -eq 0 ] && echo "tsc: passed" || echo "tsc: FAILED (see its output at the top)"
printf '%s\n' "${summary[@]}"
exit $status
