#!/usr/bin/env bash
# Writes DIR/package-lock.json for the package.json in DIR from the pinned lockfile next to this script (npm
# prunes it to DIR's dependencies, offline: no registry is asked).
#
#   make-actor-lock.sh DIR
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: make-actor-lock.sh DIR}
cp "$src/package-lock.json" "$dir/package-lock.json"
cd "$dir"
npm install --package-lock-only --offline --no-audit --no-fund --loglevel=error
