#!/usr/bin/env bash
# Checks what the fast lane promises (docs/testing.md): `npm run test:unit` passes as a
# user who is not root, on a machine without logrotate, from a tree where the native
# addon was never built. Run as root (CI does): it copies the work tree (tracked and
# untracked files, not what .gitignore ignores) and node_modules to a temp dir owned by
# `nobody`, hides /usr/sbin/logrotate in a private mount namespace, and runs the lane
# there as `nobody`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
  echo "unit-lane-check: run as root (it needs a mount namespace and setpriv)" >&2
  exit 2
fi

tmp=$(mktemp -d /tmp/logrotor-unit-lane.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
chmod 0755 "$tmp"
mkdir "$tmp/repo" "$tmp/home" "$tmp/hide"
git ls-files --cached --others --exclude-standard -z | tar --null -T - -cf - | tar -xf - -C "$tmp/repo"
cp -a node_modules "$tmp/repo/"
chown -R nobody:nogroup "$tmp/repo" "$tmp/home"
# An overlay whiteout (a 0/0 character device) makes logrotate absent from /usr/sbin
# (and /sbin, a link to it) while everything else there stays.
mknod "$tmp/hide/logrotate" c 0 0

unshare --mount --propagation private bash -euo pipefail -c '
  tmp=$1
  mount -t overlay overlay -o "lowerdir=$tmp/hide:/usr/sbin" /usr/sbin
  if command -v logrotate >/dev/null || [ -e /usr/sbin/logrotate ]; then
    echo "unit-lane-check: logrotate is still visible" >&2
    exit 1
  fi
  cd "$tmp/repo"
  started=$(date +%s%N)
  setpriv --reuid=nobody --regid=nogroup --clear-groups --reset-env \
    env HOME="$tmp/home" PATH="$PATH" npm run --silent test:unit
  ms=$(( ($(date +%s%N) - started) / 1000000 ))
  echo "unit-lane-check: npm run test:unit as nobody without logrotate took $((ms / 1000)).$((ms % 1000 / 100)) s"
' unit-lane-check "$tmp"
test ! -e "$tmp/repo/native/build" || { echo "unit-lane-check: the lane built the native addon" >&2; exit 1; }
