#!/usr/bin/env bash
# Runs the console's browser tests (console.test.mjs) against the daemon at ACTORD_URL with the pinned
# playwright-core (npm ci, from package-lock.json) driving Debian's Chromium, installed here when missing.
# No browser is ever downloaded from npm or a CDN. Called by ConsoleIT; runnable by hand against any daemon.
#
#   ACTORD_URL=http://127.0.0.1:7070 ACTORD_HOME=/path/to/checkout [TOKEN=...] [HELLO=id TICKER=id] run.sh
#   exit 0: passed; 77: cannot run here (the reason is printed); else: failed
set -euo pipefail
cd "$(dirname "$0")"
: "${ACTORD_URL:?set ACTORD_URL to the base URL of the daemon, http://host:port}"
: "${ACTORD_HOME:?set ACTORD_HOME to the actord checkout (for bin/lib/common.sh)}"
. "$ACTORD_HOME/bin/lib/common.sh"
if ! ensure_packages chromium; then
  echo "SKIPPED console tests: Debian's chromium is not installed and cannot be installed here"
  exit 77
fi
pinned="require('./package.json').dependencies['playwright-core']"
installed="require('./node_modules/playwright-core/package.json').version"
if ! node -e "process.exit($pinned === $installed ? 0 : 1)" 2>/dev/null; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
exec node --test --test-concurrency=1 --test-reporter=spec console.test.mjs
