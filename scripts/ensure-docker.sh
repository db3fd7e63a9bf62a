#!/usr/bin/env bash
# Makes sure a Docker engine answers before Accelero or its tests run.
# Installs Debian's docker.io and starts dockerd only when no engine answers; says what it does.
#   --test-env       also installs what the integration tests use (busybox-static, docker-registry,
#                    apache2-utils, openssh-server, git, and chromium with a font for the
#                    dashboard's browser tests), builds the test images and Accelero's image of
#                    this source (npm run image, once per source: the container e2e tests use it).
#   --sample-images  builds the busybox images the README's quick start deploys (offline).
set -euo pipefail

want_test_env=0
want_sample_images=0
[ "${1:-}" = "--test-env" ] && want_test_env=1
[ "${1:-}" = "--sample-images" ] && want_sample_images=1
here=$(cd "$(dirname "$0")" && pwd)
log=/var/log/accelero-dockerd.log

say() { printf 'ensure-docker: %s\n' "$*" >&2; }

engine_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

apt_updated=0
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    say "missing Debian packages ${missing[*]}; run as root or install them with apt-get"
    exit 1
  fi
  say "installing ${missing[*]} with apt-get"
  if [ $apt_updated = 0 ]; then apt-get update -qq >/dev/null; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

start_dockerd() {
  command -v dockerd >/dev/null 2>&1 || apt_install docker.io
  command -v docker >/dev/null 2>&1 || apt_install docker.io
  say "no Docker engine answers on ${DOCKER_HOST:-unix:///var/run/docker.sock}; starting dockerd (log: $log)"
  # setsid: the engine outlives this script and the npm process that ran it.
  setsid nohup dockerd >"$log" 2>&1 </dev/null &
  for _ in $(seq 1 120); do
    engine_answers && { say "dockerd answers ($(docker version --format '{{.Server.Version}}'))"; return 0; }
    sleep 0.5
  done
  say "dockerd did not answer within 60 s; last lines of $log:"
  tail -n 20 "$log" >&2 || true
  exit 1
}

if ! engine_answers; then
  if [ -n "${DOCKER_HOST:-}" ] && [ "${DOCKER_HOST#unix://}" = "$DOCKER_HOST" ]; then
    say "DOCKER_HOST=$DOCKER_HOST does not answer; not starting a local engine for a remote host"
    exit 1
  fi
  start_dockerd
fi

if [ $want_test_env = 1 ]; then
  apt_install busybox-static docker-registry apache2-utils openssh-server openssh-client git chromium fonts-dejavu-core
  bash "$here/build-test-images.sh"
  bash "$here/build-image.sh" --if-missing
elif [ $want_sample_images = 1 ]; then
  apt_install busybox-static git
  bash "$here/build-test-images.sh"
fi
