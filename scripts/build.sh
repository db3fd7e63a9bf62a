#!/usr/bin/env bash
# What `npm ci` builds (npm's prepare script): the dashboard, type-checked and bundled into
# dist/dashboard. The type check needs the dev dependencies; an install without them
# (--omit=dev) still gets the bundle.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x node_modules/.bin/tsc ]; then
  node_modules/.bin/tsc --noEmit -p dashboard
fi
node --import tsx scripts/build-dashboard.ts
