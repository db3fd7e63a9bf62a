#!/usr/bin/env bash
# Prints the name of a Node 20 base image for the Dockerfile's BASE_IMAGE, making sure it exists.
# The default (node:20-bookworm-slim) is used when present or pullable. A host that reaches no
# image registry gets an equivalent base built once from Debian packages: mmdebstrap from the
# Debian mirror (minbase bookworm + the packages the Dockerfile would install anyway), this
# host's Node 20 binary copied in (Debian's own nodejs is 18), then `docker import`. No npm: the
# Dockerfile prunes with node alone (scripts/prune-dev-dependencies.mjs), so 19 MB stay out.
# It is cached under a tag naming the Node version, so later builds reuse it.
set -euo pipefail

default_base=${BASE_IMAGE:-node:20-bookworm-slim}
say() { printf 'image-base: %s\n' "$*" >&2; }

if docker image inspect "$default_base" >/dev/null 2>&1; then echo "$default_base"; exit 0; fi
if timeout 120 docker pull --quiet "$default_base" >/dev/null 2>&1; then echo "$default_base"; exit 0; fi
if [ -n "${BASE_IMAGE:-}" ]; then say "BASE_IMAGE=$BASE_IMAGE can be neither found nor pulled"; exit 1; fi

node_bin=$(readlink -f "$(command -v node)")
node_version=$(node -p 'process.versions.node')
[ "${node_version%%.*}" = 20 ] || { say "this host's node is $node_version, not 20: cannot build a Node 20 base offline"; exit 1; }
local_base="accelero-base:bookworm-node$node_version"
if docker image inspect "$local_base" >/dev/null 2>&1; then
  say "$default_base cannot be pulled; using the local base $local_base built earlier"
  echo "$local_base"; exit 0
fi

say "$default_base cannot be pulled (no registry); building the equivalent $local_base from Debian packages"
command -v mmdebstrap >/dev/null 2>&1 || {
  say "installing mmdebstrap with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The binary ships its debug info (96 MB → 82 MB stripped); nothing in a container reads it.
cp "$node_bin" "$work/node"
command -v strip >/dev/null 2>&1 && strip "$work/node"
# git Depends on perl only for its perl scripts (send-email, svn, …) that Accelero never runs:
# removing it keeps ~45 MB out of the image, as do git's servers (daemon, http-backend, shell),
# imap-send and scalar. Docs, manuals and translations go the same way.
mmdebstrap --variant=minbase --quiet \
  --include=git,ca-certificates,tini,openssh-client \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  --customize-hook='chroot "$1" dpkg --purge --force-depends perl perl-modules-5.36 libperl5.36 liberror-perl >/dev/null 2>&1' \
  --customize-hook="upload $work/node /usr/local/bin/node" \
  --customize-hook='chmod 0755 "$1/usr/local/bin/node"' \
  --customize-hook='cd "$1/usr/lib/git-core" && rm -f git-daemon git-http-backend git-http-push git-imap-send git-shell scalar' \
  --customize-hook='rm -f "$1/usr/bin/git-shell" "$1/usr/bin/scalar"; rm -rf "$1/usr/share/gitweb"' \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
  bookworm "$work/rootfs.tar" http://deb.debian.org/debian >&2
docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' \
  --message "Debian bookworm minbase + Node $node_version (offline equivalent of $default_base)" \
  "$work/rootfs.tar" "$local_base" >/dev/null
say "built $local_base ($(docker image inspect --format '{{.Size}}' "$local_base" | awk '{printf "%.0f MB", $1/1e6}'))"
echo "$local_base"
