#!/usr/bin/env bash
# npm run image: builds the Accelero image and tags it accelero:local and
# accelero:src-<hash of the source> (so tests build it once per source: --if-missing).
# The base is BASE_IMAGE (default node:20-bookworm-slim); without a registry an equivalent base
# is built from Debian packages once (scripts/image-base.sh), and the script says so.
# The context is the files git knows of (tracked or not ignored) plus node_modules as installed.
#   --if-missing   build only when the accelero:src-<hash> tag does not exist yet
#   --print-tag    print accelero:src-<hash> (for the tests) and nothing else on stdout
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
if_missing=0
print_tag=0
for arg in "$@"; do
  case "$arg" in
    --if-missing) if_missing=1 ;;
    --print-tag) print_tag=1 ;;
    *) echo "build-image: unknown option $arg" >&2; exit 2 ;;
  esac
done
say() { printf 'build-image: %s\n' "$*" >&2; }

[ -d node_modules/ ] || { say "no node_modules: run npm ci first (the image takes its dependencies from there)"; exit 1; }
files=$(mktemp)
trap 'rm -f "$files"' EXIT
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done | sort -z >"$files"
source_hash=$( (xargs -0 sha256sum <"$files"; node -p 'process.versions.node') | sha256sum | cut -c1-16)
tag="accelero:src-$source_hash"
[ $print_tag = 1 ] && { echo "$tag"; exit 0; }
if [ $if_missing = 1 ] && docker image inspect "$tag" >/dev/null 2>&1; then
  say "$tag exists (same source): not building again"
  docker tag "$tag" accelero:local
  exit 0
fi

base=$(bash scripts/image-base.sh)
say "building $tag on $base"
# node_modules may be a symlink (worktrees): tar takes the directory it points to, under its name.
modules=$(readlink -f node_modules)
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
tar -cf - -C "$root" --null -T "$files" -C "$(dirname "$modules")" --transform "s,^$(basename "$modules"),node_modules," \
    --exclude="$(basename "$modules")/.cache" "$(basename "$modules")" |
  docker build --quiet -f Dockerfile \
    --build-arg BASE_IMAGE="$base" \
    --build-arg VERSION="$(node -p 'require("./package.json").version')" \
    --build-arg REVISION="$revision" \
    --build-arg CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    --label accelero.image.source="$source_hash" \
    -t "$tag" -t accelero:local - >/dev/null
# Images of earlier sources go (their tags; layers still used by the new image stay).
for old in $(docker images --filter label=accelero.image.source --format '{{.Repository}}:{{.Tag}}' | grep '^accelero:src-' | grep -vx "$tag" || true); do
  docker rmi "$old" >/dev/null 2>&1 || true
done
say "built $tag = accelero:local ($(docker image inspect --format '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
