#!/usr/bin/env bash
# Installs the pinned apify-client (npm ci, from package-lock.json) and runs one test file (ACTORD_CLIENT_TEST,
# client.test.mjs unless set) against the daemon named by ACTORD_URL. Called by ApifyClientIT; runnable by hand against any daemon.
set -euo pipefail
cd "$(dirname "$0")"
: "${ACTORD_URL:?set ACTORD_URL to the base URL of the daemon, http://host:port}"
: "${ACTORD_TOKEN:?set ACTORD_TOKEN to an API token of the daemon (actorctl tokens create USER)}"
# npm ci reinstalls from scratch; skip it when the pinned apify-client is already installed (a second run,
# or a guest without network that shares this directory).
pinned="require('./package.json').dependencies['apify-client']"
installed="require('./node_modules/apify-client/package.json').version"
if ! node -e "process.exit($pinned === $installed ? 0 : 1)" 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error
fi
# Arguments go to node's test runner (--test-name-pattern=... runs some tests).
exec node --test --test-reporter=spec "$@" "${ACTORD_CLIENT_TEST:-client.test.mjs}"
