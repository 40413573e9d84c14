#!/usr/bin/env node
'use strict';
// The published `bridge` executable: runs the bundled CLI (npm run build writes dist/cli.js),
// loaded with V8's code cache (see load-bundle.js).
const path = require('node:path');
const { loadBundle } = require('./load-bundle.js');

let cli;
try {
  cli = loadBundle(path.join(__dirname, '..', 'dist', 'cli.js'));
} catch (e) {
  // A missing or broken install: one line that says what to do, not a stack trace.
  process.stderr.write(`bridge: ${e && e.message ? e.message : String(e)}\n`);
  process.exit(2);
}
const { main, processIo } = cli;
main(process.argv.slice(2), processIo()).then((code) => {
  // PERFORMANCE: exit as soon as the command has finished. Left to itself Node waits, once the
  // event loop is empty, for V8's background tasks (optimising compiles, GC helpers) to end: about
  // 15-20 ms of a 180 ms `bridge lint` on two cores, for work nobody will use. Nothing is lost:
  // every command awaits its own work (the sandbox's shutdown, a run's last lines) before it
  // resolves, and the CLI writes its output synchronously (src/cli/io.ts).
  process.exit(code);
});
