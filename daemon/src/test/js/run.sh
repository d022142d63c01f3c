#!/usr/bin/env bash
# Installs the pinned apify-client (npm ci, from package-lock.json) and runs client.test.mjs against the
# daemon named by ACTORD_URL. Called by ApifyClientIT; runnable by hand against any daemon.
set -euo pipefail
cd "$(dirname "$0")"
: "${ACTORD_URL:?set ACTORD_URL to the base URL of the daemon, http://host:port}"
npm ci --no-audit --no-fund --loglevel=error
exec node --test --test-reporter=spec client.test.mjs
