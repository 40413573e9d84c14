#!/usr/bin/env bash
# The real-VS-Code part of `npm test`: install code-server + Chromium once (cached under .cache/),
# check the grammar with VS Code's own TextMate engine, run the integration tests in the extension
# host, then the UI smoke test on the packaged .vsix.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
VER=${CODE_SERVER_VERSION:-4.100.3}
bash test/harness/setup-code-server.sh "$ROOT/.cache/code-server-$VER" "$VER"
# shellcheck disable=SC1091
source "$ROOT/.cache/code-server-$VER/env.sh"
node test/harness/check-grammar.mjs
SKIP_BUILD=${SKIP_BUILD:-} bash test/harness/run-integration.sh
bash test/harness/run-ui-smoke.sh
