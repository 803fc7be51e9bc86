#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian machine, then runs them.
# Debian's Chromium drives the widget's browser tests (playwright-core cannot
# download a browser of its own here); Debian's postgresql and redis-server are
# what the tests of several processes start throw-away instances of (on free
# ports, in temp dirs; PostgreSQL as the unprivileged `postgres` user when run
# as root); their system services are not used.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || command -v postgres >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "Installing Debian's ${missing[*]} for the tests..."
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

npm ci --no-audit --no-fund
mkdir -p test-results
npm test -- --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
# One plain closing line: "N passed, N failed".
node -e '
  const r = require("./test-results/vitest.json");
  console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
'
