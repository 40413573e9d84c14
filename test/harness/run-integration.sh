#!/usr/bin/env bash
# Runs the integration tests (test/integration/**, mocha) inside a real VS Code: the VS Code
# server shipped in the npm package code-server, its workbench in headless Debian Chromium.
#
#   bash test/harness/run-integration.sh            (npm run test:integration)
#
# Installs code-server + Chromium on first use (test/harness/setup-code-server.sh, cached under
# .cache/), builds the bundle and the tests, copies test/fixtures/integration/workspace to a fresh
# temporary folder (the tests change files; the repo is never touched) and opens it. Also runs
# test/harness/check-grammar.mjs (the ADF expression grammar) first.
# Then a second, short pass opens a fresh copy in Restricted Mode (an untrusted workspace, as
# package.json's capabilities.untrustedWorkspaces promises) and runs the "Restricted mode" suite.
# Env: CODE_SERVER_VERSION (4.100.3), SKIP_BUILD=1 (reuse dist/ and out/), BRIDGE_TEST_GREP
# (mocha grep, first pass), SKIP_RESTRICTED=1 (no second pass), VERBOSE=1, HARNESS_TMP (scratch
# folder, default .harness-tmp/).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
VER=${CODE_SERVER_VERSION:-4.100.3}
CACHE=${CODE_SERVER_CACHE:-$ROOT/.cache/code-server-$VER}
export HARNESS_TMP=${HARNESS_TMP:-$ROOT/.harness-tmp}
mkdir -p "$HARNESS_TMP"
export TMPDIR="$HARNESS_TMP"   # playwright's profile and the server's sockets stay in the scratch folder
t0=$(date +%s)

bash "$ROOT/test/harness/setup-code-server.sh" "$CACHE" "$VER"
# shellcheck disable=SC1091
source "$CACHE/env.sh"

if [ "${SKIP_BUILD:-}" != 1 ]; then
  node scripts/build.mjs
  npx tsc -p test/harness/tsconfig.integration.json
fi
[ -f dist/extension.js ] || { echo "dist/extension.js is missing: run npm run build" >&2; exit 2; }

# The grammar, with the TextMate engine and JSON grammars of this very VS Code (a second, fast).
node test/harness/check-grammar.mjs

WS=$(mktemp -d "$HARNESS_TMP/workspace-XXXXXX")
WS2=$(mktemp -d "$HARNESS_TMP/workspace-XXXXXX")
trap 'rm -rf "$WS" "$WS2"' EXIT
cp -R test/fixtures/integration/workspace/. "$WS/"
cp -R test/fixtures/integration/workspace/. "$WS2/"
# The run tests run every sample link (test/integration/runs.test.ts): the samples ride along.
cp -R samples "$WS/samples"
cp -R samples "$WS2/samples"
# Tests talk only to 127.0.0.1: no credential chain may reach instance metadata.
export AWS_EC2_METADATA_DISABLED=true

status=0
node test/harness/run-tests.mjs \
  --extensionDevelopmentPath "$ROOT" \
  --extensionTestsPath "$ROOT/out/test/integration/index.js" \
  --folder "$WS" --timeout "${HARNESS_TIMEOUT:-600}" ${HARNESS_KEEP:+--keep} || status=$?

if [ "${SKIP_RESTRICTED:-}" != 1 ]; then
  echo "[integration] restricted mode: the same extension in an untrusted workspace"
  restricted=0
  BRIDGE_RESTRICTED=1 BRIDGE_TEST_GREP='Restricted mode' node test/harness/run-tests.mjs \
    --extensionDevelopmentPath "$ROOT" \
    --extensionTestsPath "$ROOT/out/test/integration/index.js" \
    --folder "$WS2" --untrusted --timeout "${HARNESS_TIMEOUT:-600}" ${HARNESS_KEEP:+--keep} || restricted=$?
  [ "$status" != 0 ] || status=$restricted
fi
echo "[integration] finished in $(( $(date +%s) - t0 ))s with exit code $status"
exit $status
