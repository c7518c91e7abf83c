#!/bin/bash
# Rebuilds test/diff/corpus/ from the Debian archive this machine's apt points at: every
# package that ships a file under /etc/logrotate.d/ is downloaded (not installed), only
# those files are kept, identical files once, and MANIFEST.tsv says where each came from.
# Usage: scripts/refresh-corpus.sh [DEB_CACHE_DIR]   (run as root; downloads ~400 MB)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
corpus="$repo/test/diff/corpus"
debs=${1:-$(mktemp -d /tmp/corpus-debs.XXXXXX)}
work=$(mktemp -d /tmp/corpus-work.XXXXXX)
trap 'rm -rf "$work"' EXIT

command -v apt-file >/dev/null || apt-get install -y apt-file >/dev/null
apt-file update >/dev/null
apt-file search --regexp '^/etc/logrotate\.d/' | cut -d: -f1 | sort -u >"$work/packages"
echo "$(wc -l <"$work/packages") packages ship /etc/logrotate.d files" >&2

mkdir -p "$debs"
# Only packages not yet in the cache are downloaded.
(cd "$debs" && for p in $(cat "$work/packages"); do ls "${p}"_*.deb >/dev/null 2>&1 || echo "$p"; done |
  xargs -r -n 20 apt-get download >/dev/null 2>&1 || true)

rm -f "$corpus"/*
manifest="$corpus/MANIFEST.tsv"
printf '# fixture\tpackage\tversion\tpath in package\tkind (fixture, or duplicate of the named fixture)\n' >"$manifest"
declare -A seen
for package in $(cat "$work/packages"); do
  deb=$(ls "$debs/${package}"_*.deb 2>/dev/null | tail -1)
  [[ -n $deb ]] || { echo "no .deb for $package" >&2; continue; }
  version=$(dpkg-deb -f "$deb" Version)
  rm -rf "$work/x" && mkdir "$work/x"
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work/x" --wildcards './etc/logrotate.d/*' 2>/dev/null || true
  while IFS= read -r -d '' file; do
    inside=${file#"$work/x"}
    # apache's httpd-prerotate/ holds shell scripts run by its postrotate, not configs.
    [[ $inside == /etc/logrotate.d/httpd-prerotate/* ]] && continue
    name="${package}__$(basename "$file")"
    sum=$(sha1sum "$file" | cut -d' ' -f1)
    if [[ -n ${seen[$sum]:-} ]]; then
      printf '%s\t%s\t%s\t%s\tduplicate\n' "${seen[$sum]}" "$package" "$version" "$inside" >>"$manifest"
      continue
    fi
    seen[$sum]=$name
    cp "$file" "$corpus/$name"
    chmod 0644 "$corpus/$name"
    printf '%s\t%s\t%s\t%s\tfixture\n' "$name" "$package" "$version" "$inside" >>"$manifest"
  done < <(find "$work/x" -type f -print0 | sort -z)
done
echo "$(grep -c $'\tfixture$' "$manifest") distinct files in $corpus" >&2
