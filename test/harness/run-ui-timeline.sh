#!/usr/bin/env bash
# UI test of the timeline: builds, runs the samples in the sandbox for a real run, opens its
# timeline in a real VS Code (code-server) through headless Chromium, saves screenshots in the
# dark and the light theme under test-results/ (test/harness/ui-timeline.mjs).
#
#   bash test/harness/run-ui-timeline.sh        (npm run test:ui:timeline)
# Env: CODE_SERVER_VERSION, VERBOSE=1, HARNESS_TMP, JSONL=FILE (a run to show instead of a fresh one).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
VER=${CODE_SERVER_VERSION:-4.100.3}
CACHE=${CODE_SERVER_CACHE:-$ROOT/.cache/code-server-$VER}
export HARNESS_TMP=${HARNESS_TMP:-$ROOT/.harness-tmp}
mkdir -p "$HARNESS_TMP"
export TMPDIR="$HARNESS_TMP"
bash "$ROOT/test/harness/setup-code-server.sh" "$CACHE" "$VER"
# shellcheck disable=SC1091
source "$CACHE/env.sh"
node scripts/build.mjs
node test/harness/ui-timeline.mjs --out "$ROOT/test-results" ${JSONL:+--jsonl "$JSONL"} ${VERBOSE:+--verbose}
