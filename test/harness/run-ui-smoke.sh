#!/usr/bin/env bash
# UI smoke test: package the extension, install the .vsix into a real VS Code (code-server), and
# drive it through headless Chromium (test/harness/ui-smoke.mjs).
#
#   bash test/harness/run-ui-smoke.sh             (npm run test:ui)
# Env: SKIP_PACKAGE=1 (reuse dist/adf-sfn-bridge.vsix), CODE_SERVER_VERSION, VERBOSE=1, HARNESS_TMP.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
VER=${CODE_SERVER_VERSION:-4.100.3}
CACHE=${CODE_SERVER_CACHE:-$ROOT/.cache/code-server-$VER}
export HARNESS_TMP=${HARNESS_TMP:-$ROOT/.harness-tmp}
mkdir -p "$HARNESS_TMP"
export TMPDIR="$HARNESS_TMP"
VSIX=${VSIX:-$ROOT/dist/adf-sfn-bridge.vsix}

bash "$ROOT/test/harness/setup-code-server.sh" "$CACHE" "$VER"
# shellcheck disable=SC1091
source "$CACHE/env.sh"
if [ "${SKIP_PACKAGE:-}" != 1 ]; then
  node scripts/build.mjs --production
  npx vsce package --no-dependencies -o "$VSIX" </dev/null
fi
echo "[ui-smoke] $(basename "$VSIX"): $(du -k "$VSIX" | cut -f1) KiB"
node test/harness/ui-smoke.mjs --vsix "$VSIX" --screenshot "$ROOT/test-results/ui-smoke.png" ${VERBOSE:+--verbose}
