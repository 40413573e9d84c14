#!/usr/bin/env node
'use strict';
// The published `bridge` executable: runs the bundled CLI (npm run build writes dist/cli.js),
// loaded with V8's code cache (see load-bundle.js).
const path = require('node:path');
const { loadBundle } = require('./load-bundle.js');

const { main, processIo } = loadBundle(path.join(__dirname, '..', 'dist', 'cli.js'));
main(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
