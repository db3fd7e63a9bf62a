#!/usr/bin/env bash
# What `npm ci` builds (npm's prepare script) and `npm run build` rebuilds: the daemon and CLI,
# compiled into dist/server (what bin/accelero runs), and the dashboard, type-checked and
# bundled into dist/dashboard. The type check needs the dev dependencies; an install without
# them (--omit=dev) still gets both bundles.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x node_modules/.bin/tsc ]; then
  node_modules/.bin/tsc --noEmit -p dashboard
fi
node --import tsx scripts/build-server.ts
node --import tsx scripts/build-dashboard.ts
