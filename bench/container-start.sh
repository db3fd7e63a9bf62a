#!/usr/bin/env bash
# bench: milliseconds from `docker run` to the first 200 of /readyz, for the image $1 (default accelero:local).
set -euo pipefail
image=${1:-accelero:local}
dir=$(mktemp -d /tmp/accelero-measure-XXXXXX)
start=$(date +%s%N)
id=$(docker run -d --label accelero-bench.container=1 -v /var/run/docker.sock:/var/run/docker.sock -v "$dir:$dir" \
  -e DATABASE_PATH="$dir/accelero.db" -e STACKS_DATA_DIR="$dir/stacks" -p 127.0.0.1::8000 "$image")
port=$(docker port "$id" 8000 | head -1 | cut -d: -f2)
until curl -fs -m 2 -o /dev/null "http://127.0.0.1:$port/readyz"; do sleep 0.05; done
end=$(date +%s%N)
echo "docker run → /readyz 200: $(( (end - start) / 1000000 )) ms"
docker rm -f "$id" >/dev/null; rm -rf "$dir"
