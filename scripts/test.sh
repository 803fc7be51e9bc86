#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian machine, then runs them.
# Debian's Chromium drives the widget's browser tests (playwright-core cannot
# download a browser of its own here).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "Installing Debian's chromium for the browser tests..."
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

npm ci --no-audit --no-fund
mkdir -p test-results
npm test -- --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
# One plain closing line: "N passed, N failed".
node -e '
  const r = require("./test-results/vitest.json");
  console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
'
