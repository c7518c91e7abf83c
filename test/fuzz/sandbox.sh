#!/bin/sh
# Runs a command in the current (fresh, unshared) mount namespace with every mount made
# read-only except DIR. Meant to be started as `unshare --mount --propagation private
# sh sandbox.sh DIR COMMAND...`: the remounts then never reach the host's namespace.
# Exit 125 (and nothing is run) when the sandbox cannot be built or does not hold.
set -u
fail() {
  echo "sandbox: $*" >&2
  exit 125
}
[ "$#" -ge 2 ] || fail "usage: sandbox.sh DIR COMMAND..."
dir=$1
shift
case "$dir" in /*) ;; *) fail "DIR must be absolute: $dir" ;; esac
[ -d "$dir" ] || fail "no such directory: $dir"

# Private first, so nothing below propagates back to the host even if unshare did not.
mount --make-rprivate / || fail "cannot make / private"
# The case directory becomes a mount of its own, so that it keeps its write access
# while everything around it, the mount it lives on included, turns read-only.
mount --bind "$dir" "$dir" || fail "cannot bind $dir"

# /sys and everything mounted below it vanish under one empty read-only tmpfs (nothing
# here needs sysfs, and a remount per cgroup mount costs ~10 ms each).
mount -t tmpfs -o ro,size=4k logrotor-fuzz /sys || fail "cannot cover /sys"

# Every other mount point (field 5 of mountinfo, with blanks as \ooo escapes), each once:
# a remount changes only the top mount at a path, which is the only one reachable.
points=$(awk -v dir="$dir" '$5 != dir && $5 != "/sys" && index($5, "/sys/") != 1 && !seen[$5]++ { print $5 }' /proc/self/mountinfo) ||
  fail "cannot read mountinfo"
set -f
for escaped in $points; do
  point=$(printf '%b' "$escaped")
  mount -o remount,bind,ro "$point" 2>/dev/null && continue
  # Refused (a shadowed or vanished point): acceptable only if nothing can be written.
  [ -d "$point" ] && (: > "$point/.logrotor-fuzz-canary-$$") 2>/dev/null &&
    fail "could not make $point read-only"
done
set +f

# Canaries: writes that must fail. The case directory's parent (the test's temp base,
# on the same mount as the case), the root, /dev (a renamed /dev/null started all
# this) and the usual scratch places.
parent=$(dirname "$dir")
for where in "$parent" / /dev /dev/shm /tmp /var/tmp /sys; do
  [ -d "$where" ] || continue
  canary="$where/.logrotor-fuzz-canary-$$"
  if (: > "$canary") 2>/dev/null; then
    rm -f "$canary"
    fail "write outside $dir succeeded: $canary"
  fi
done
probe="$dir/.logrotor-fuzz-canary-$$"
(: > "$probe") 2>/dev/null || fail "the case directory is not writable: $dir"
rm -f "$probe"

exec "$@"
