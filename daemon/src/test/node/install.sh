#!/usr/bin/env bash
# Installs the pinned npm packages (package-lock.json) into a work directory, for the compatibility tests
# and the benchmark: copies package.json, the lockfile and the test scripts there and runs `npm ci`.
# The npm cache makes a repeat install offline; a first install needs the npm registry.
#
#   install.sh WORK_DIR     exit 0: WORK_DIR/node_modules is ready; else the reason is on stderr
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
work=${1:?usage: install.sh WORK_DIR}
command -v node >/dev/null || { echo "node is not installed" >&2; exit 3; }
command -v npm >/dev/null || { echo "npm is not installed" >&2; exit 3; }
mkdir -p "$work"
cp "$src"/package.json "$src"/package-lock.json "$work"/
cp "$src"/*.mjs "$work"/ 2>/dev/null || true
stamp="$work/node_modules/.actord-lock"
if [ -f "$stamp" ] && cmp -s "$stamp" "$src/package-lock.json"; then
  exit 0
fi
cd "$work"
if ! npm ci --prefer-offline --no-audit --no-fund --loglevel=error >npm-ci.log 2>&1; then
  echo "npm ci failed (registry unreachable and the npm cache cold?); see $work/npm-ci.log:" >&2
  tail -5 npm-ci.log >&2
  exit 4
fi
cp "$src/package-lock.json" "$stamp"
