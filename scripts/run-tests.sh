#!/usr/bin/env bash
# Runs the test files with Node's own runner through tsx. Node 20's runner expands no glob,
# so the shell does (globstar). --unit runs only the tests that need nothing but Node.
set -euo pipefail
shopt -s globstar nullglob
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--unit" ]; then
  files=(test/**/*.test.ts)
  mapfile -t files < <(printf '%s\n' "${files[@]}" | grep -v '\.int\.test\.ts$' || true)
else
  files=(test/**/*.test.ts)
fi
[ ${#files[@]} -gt 0 ] || { echo "run-tests: no test files found" >&2; exit 1; }
# Integration tests share one Docker engine; one file at a time keeps their timings honest.
# A promise rejection nobody handles is an error of the code under test, never noise; the
# flag reaches each test file's process (the runner passes its execArgv on).
exec node --unhandled-rejections=strict --import tsx --test --test-concurrency=1 --test-timeout=600000 --test-reporter=spec "${files[@]}"
