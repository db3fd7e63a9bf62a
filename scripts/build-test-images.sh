#!/usr/bin/env bash
# Builds the integration tests' images without any registry: a root file system made of
# Debian's busybox-static, turned into images with `docker import`. Rebuilt only when missing.
set -euo pipefail

busybox=/bin/busybox
[ -x "$busybox" ] || { echo "build-test-images: $busybox missing (apt-get install busybox-static)" >&2; exit 1; }

build_image() { # build_image <tag> <content of /www/index.html>
  local tag=$1 content=$2
  if docker image inspect "$tag" >/dev/null 2>&1; then return 0; fi
  local root; root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/tmp" "$root/www" "$root/etc" "$root/data"
  cp "$busybox" "$root/bin/busybox"
  for applet in $("$busybox" --list); do
    [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
  done
  printf '%s\n' "$content" > "$root/www/index.html"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
  tar -C "$root" -c . | docker import \
    --change 'ENV PATH=/bin' \
    --change 'LABEL accelero.test-image=true' \
    --change 'CMD ["httpd","-f","-p","8080","-h","/www"]' \
    - "$tag" >/dev/null
  rm -rf "$root"
  echo "build-test-images: built $tag" >&2
}

build_image accelero-test/web:v1 v1
build_image accelero-test/web:v2 v2
build_image accelero-test/busybox:latest busybox
