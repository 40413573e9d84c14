// Bundles the extension and the CLI with esbuild. `vscode` stays external; the cloud SDKs are
// bundled into their own files that load on the first cloud call, never at activation.
import * as esbuild from 'esbuild';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { generateAslValidators } from './generate-asl-validators.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Size budgets in KiB: the build fails past them (the activation bundle is loaded at start-up). */
const BUDGETS = { 'dist/extension.js': 150 };

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: !process.env.BRIDGE_NO_MINIFY,
  legalComments: 'none',
  // jsonc-parser's "main" is a UMD build whose dynamic requires esbuild cannot follow: take its ES module.
  mainFields: ['module', 'main'],
  logLevel: 'warning',
  define: { BRIDGE_VERSION: JSON.stringify(pkg.version) },
  // Optional native/peer modules some SDK dependencies probe for; none is needed here.
  external: ['vscode'],
  // Lazy seams load sibling bundles with require, not import(): Node's ESM loader scans a CommonJS
  // file with cjs-module-lexer before running it (~150 ms for asl.js, more for cloud.js).
  supported: { 'dynamic-import': false },
};

/** Lazy seams: an import of these modules from these files becomes a require of a sibling bundle. */
const lazySeams = {
  name: 'lazy-seams',
  setup(build) {
    // PERFORMANCE: jsonc-parser's ES modules are free of side effects but its package.json does not
    // say so, so every bundle ran the formatter's set-up (string-intern.js builds ~1,200 indentation
    // strings at load) although only the quick fixes and Link… format or edit JSON. Declared here,
    // esbuild leaves out what a bundle does not use.
    const jsoncParserDir = `${path.sep}node_modules${path.sep}jsonc-parser${path.sep}`;
    build.onResolve({ filter: /^(jsonc-parser$|\.\.?\/)/ }, async (args) => {
      if (args.pluginData?.jsoncSideEffectsFree) return undefined;
      if (args.path !== 'jsonc-parser' && !args.importer.includes(jsoncParserDir)) return undefined;
      const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { jsoncSideEffectsFree: true } });
      return resolved.errors.length ? undefined : { path: resolved.path, sideEffects: false };
    });
    // asl-path-validator's three "does the path's tree hold one of these keys" queries, without
    // loading jsonpath-plus (src/core/asl/path-ast-query.ts says why).
    build.onResolve({ filter: /^jsonpath-plus$/ }, (args) =>
      /[\\/]asl-path-validator[\\/]/.test(args.importer) ? { path: path.resolve('src/core/asl/path-ast-query.ts') } : undefined,
    );
    build.onResolve({ filter: /^\.\.\/asl\/validate$/ }, (args) =>
      args.importer.endsWith('asl-loader.ts') ? { path: './asl.js', external: true } : undefined,
    );
    build.onResolve({ filter: /^\.\.\/\.\.\/core\/lint\/engine$/ }, (args) =>
      args.importer.endsWith('lint-loader.ts') ? { path: './lint.js', external: true } : undefined,
    );
    build.onResolve({ filter: /^\.\.\/sandbox\/index$/ }, (args) =>
      /cli\/(sandbox|run|status)\.ts$/.test(args.importer) ? { path: './sandbox.js', external: true } : undefined,
    );
    // JSONata's parser (81 KB) is needed only when a definition holds a JSONata expression.
    build.onResolve({ filter: /^jsonata$/ }, (args) =>
      args.importer.endsWith(path.join('asl', 'formats.ts')) ? { path: './jsonata.js', external: true } : undefined,
    );
    build.onResolve({ filter: /^\.\/commands$/ }, (args) =>
      args.importer.endsWith(path.join('cli', 'main.ts')) ? { path: './cli-commands.js', external: true } : undefined,
    );
    build.onResolve({ filter: /^\.\/impl$/ }, (args) =>
      /extension[\\/]discover[\\/]index\.ts$/.test(args.importer) ? { path: './discover.js', external: true } : undefined,
    );
    build.onResolve({ filter: /^\.\/timeline-panel$/ }, (args) =>
      args.importer.endsWith(path.join('extension', 'timeline', 'index.ts')) ? { path: './timeline.js', external: true } : undefined,
    );
    build.onResolve({ filter: /^\.\/actions$/ }, (args) =>
      args.importer.endsWith('extension.ts') ? { path: './actions.js', external: true } : undefined,
    );
    build.onResolve({ filter: /^(\.\.\/)+cloud\/index$/ }, (args) =>
      /(cli|extension)\//.test(args.importer) ? { path: './cloud.js', external: true } : undefined,
    );
  },
};

/**
 * PERFORMANCE: the bundles bin/bridge.js loads with V8's code cache are written already wrapped in
 * the CommonJS function, so the loader compiles the file's text as it is: wrapping it at run time
 * (Module.wrap) made V8 copy every bundle once more into a flat string before compiling, about 120
 * fresh pages of a `bridge lint`. Each file stays a working CommonJS module for Node's own
 * `require` (the extension requires asl.js and cloud.js): run as a module it calls the function
 * with the module's arguments; compiled as a script, its value is the function (bin/bridge.js).
 * esbuild puts the banner on a line of its own, and the source maps count that line.
 */
const CLI_LOADED = {
  banner: { js: "((bundle) => typeof module === 'object' && module !== null && module.exports === exports ? bundle(exports, require, module, __filename, __dirname) : bundle)(function (exports, require, module, __filename, __dirname) {" },
  footer: { js: '\n})' },
};

const builds = [
  { entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist', external: ['vscode', './cli.js', './sandbox.js', './cloud.js', './asl.js', './actions.js', './timeline.js', './discover.js', './lint.js'] },
  // The editor's lint engine (rules of configs, pipelines, expressions, payloads, mocks): loaded for the first lint.
  { entryPoints: { lint: 'src/core/lint/engine.ts' }, outdir: 'dist', external: ['vscode', './asl.js'] },
  // Discovery, sign-in and deployed status: loaded on the Discover view's first expansion or command.
  { entryPoints: { discover: 'src/extension/discover/impl.ts' }, outdir: 'dist', external: ['vscode', './cloud.js'] },
  // What runs only when the user acts (runs, quick fixes, New Bridge Config): loaded on first use.
  { entryPoints: { actions: 'src/extension/actions.ts' }, outdir: 'dist', external: ['vscode', './cloud.js', './asl.js', './timeline.js'] },
  // The timeline webview's panel, layout and rendering: loaded on the first bridge.showTimeline.
  { entryPoints: { timeline: 'src/extension/timeline/timeline-panel.ts' }, outdir: 'dist' },
  // `bridge lint`, and the entry of every command: kept to what lint runs (see src/cli/commands.ts).
  { entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', ...CLI_LOADED, external: ['vscode', './cli-commands.js', './asl.js'] },
  // `bridge run`, `bridge status` and `bridge sandbox`: loaded when one of them is asked for.
  { entryPoints: { 'cli-commands': 'src/cli/commands.ts' }, outdir: 'dist', ...CLI_LOADED, external: ['vscode', './sandbox.js', './cloud.js', './asl.js'] },
  { entryPoints: { asl: 'src/core/asl/validate.ts' }, outdir: 'dist', ...CLI_LOADED, external: ['./jsonata.js'] },
  // jsonata, for the ASL checks of JSONata expressions: loaded by dist/asl.js on the first one.
  { entryPoints: { jsonata: 'node_modules/jsonata/jsonata.js' }, outdir: 'dist', ...CLI_LOADED },
  { entryPoints: { sandbox: 'src/sandbox/index.ts' }, outdir: 'dist', ...CLI_LOADED },
  { entryPoints: { cloud: 'src/cloud/index.ts' }, outdir: 'dist', ...CLI_LOADED },
  // The timeline page's script: runs in the webview and in the HTML file of `bridge run --timeline`.
  { entryPoints: { 'timeline-view': 'media/timeline/view.ts' }, outdir: 'dist', platform: 'browser', format: 'iife', target: 'es2022', sourcemap: false },
];

// The ASL validators are generated code the asl bundle (and tsc's output) include.
await generateAslValidators();

const existing = builds.filter((b) => Object.values(b.entryPoints).every((p) => { try { return statSync(p).isFile(); } catch { return false; } }));
for (const b of existing) {
  const options = { ...common, ...b, external: b.external ?? common.external, plugins: [lazySeams] };
  if (watch) await (await esbuild.context(options)).watch();
  else {
    const result = await esbuild.build({ ...options, metafile: !!process.env.BRIDGE_METAFILE });
    // BRIDGE_METAFILE=1 npm run build: what each bundle is made of, biggest inputs first.
    if (result.metafile) for (const [file, out] of Object.entries(result.metafile.outputs)) if (!file.endsWith(".map")) console.log(`${file}:`, Object.entries(out.inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput).slice(0, 12).map(([f, v]) => `${f} ${(v.bytesInOutput / 1024).toFixed(1)}K`).join(", "));
  }
}

// The size budget and the ASCII check hold the shipped (minified) bundles; a BRIDGE_NO_MINIFY=1
// build, for profiling, keeps comments (some not ASCII) and is larger.
if (!watch && !process.env.BRIDGE_NO_MINIFY) {
  let failed = false;
  for (const [file, kib] of Object.entries(BUDGETS)) {
    let size;
    try { size = statSync(file).size / 1024; } catch { continue; }
    const line = `${file}: ${size.toFixed(1)} KiB (budget ${kib} KiB)`;
    if (size > kib) { console.error(`over budget: ${line}`); failed = true; } else console.log(line);
  }
  // PERFORMANCE: one character outside ASCII anywhere in a bundle (a « in a regular expression,
  // which esbuild leaves as written) makes V8 hold the whole source as UTF-16: twice the memory,
  // and reading dist/asl.js took 4 ms instead of a fraction of one on every `bridge lint`.
  // Write such characters as escapes (\u00AB).
  for (const file of readdirSync('dist').filter((f) => f.endsWith('.js')).map((f) => `dist/${f}`)) {
    let text;
    try { text = readFileSync(file, 'latin1'); } catch { continue; }
    const at = text.search(/[^\x00-\x7f]/);
    if (at >= 0) {
      console.error(`not ASCII: ${file} has a character outside ASCII near "${text.slice(Math.max(0, at - 40), at + 10)}"; write it as a \\u escape in the source.`);
      failed = true;
    }
  }
  if (failed) process.exit(1);
}
