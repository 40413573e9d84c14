#!/usr/bin/env node
'use strict';
// The published `bridge` executable: runs the bundled CLI (npm run build writes dist/cli.js).
const { main } = require('../dist/cli.js');
const { processIo } = require('../dist/cli.js');
main(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
