#!/usr/bin/env bash
# Runs logrotate's own test suite (test/test-NNNN.sh) against logrotor, or any other binary.
#
#   scripts/upstream-suite.sh SOURCE [--binary PATH] [--keep] [TEST...]
#
# SOURCE is a logrotate checkout (a directory holding test/) or a bare logrotate git
# repository (its HEAD's test/ is exported). The suite runs in a scratch copy; nothing
# from it is written into this repository. TEST names (e.g. test-0042) pick a subset;
# the default is every test in test/Makefile.am's TEST_CASES. --binary defaults to
# dist/src/cli/main.js (run `npm run build` first). Exit status: 0 when all ran tests
# passed, 1 otherwise. Tests exiting 77 (automake's "skipped") are counted as skipped.
set -uo pipefail

usage() { sed -n '2,12s/^# \{0,1\}//p' "$0" >&2; exit 2; }
[ $# -ge 1 ] || usage
source_path=$1; shift
here=$(cd "$(dirname "$0")/.." && pwd)
binary="$here/dist/src/cli/main.js"
keep=0
selected=()
while [ $# -gt 0 ]; do
  case $1 in
    --binary) binary=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) usage ;;
    *) selected+=("$1"); shift ;;
  esac
done
[ -x "$binary" ] || { echo "not executable: $binary" >&2; exit 2; }

work=$(mktemp -d /tmp/upstream-suite.XXXXXX)
chmod 755 "$work"
cleanup() { if [ $keep = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT

if [ -d "$source_path/test" ]; then
  cp -r "$source_path/test" "$work/test"
elif git -C "$source_path" rev-parse --is-bare-repository >/dev/null 2>&1; then
  git -C "$source_path" archive HEAD test | tar -x -C "$work"
else
  echo "neither a checkout with test/ nor a git repository: $source_path" >&2; exit 2
fi
cd "$work/test" || exit 2

# What `make check` would generate: ACL tests on (logrotor copies ACLs), SELinux off.
echo 1 > test.ACL
echo 0 > test.SELINUX
export LOGROTATE=$binary

if [ ${#selected[@]} -eq 0 ]; then
  mapfile -t selected < <(sed -n 's/^[[:space:]]*\(test-[0-9]*\)\.sh.*/\1/p' Makefile.am)
fi

pass=0; fail=0; skip=0; failed=()
for name in "${selected[@]}"; do
  name=${name%.sh}
  timeout 60 sh "./$name.sh" > "$name.out" 2>&1
  rc=$?
  case $rc in
    0) pass=$((pass + 1)); echo "PASS $name" ;;
    77) skip=$((skip + 1)); echo "SKIP $name" ;;
    *) fail=$((fail + 1)); failed+=("$name"); echo "FAIL $name (exit $rc)"
       tail -n 5 "$name.out" | sed 's/^/    /' ;;
  esac
done
echo "summary: $pass passed, $fail failed, $skip skipped of ${#selected[@]} ($LOGROTATE)"
[ $fail -eq 0 ] || { echo "failed: ${failed[*]}"; exit 1; }
