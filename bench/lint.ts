// npm run bench: prints figures, asserts nothing.
//  1. bridge lint of a generated workspace of 200 links (pipelines, ASL, payloads, mocks), median of runs;
//  2. vscode-json-languageservice validating the same config files against schemas/bridge-config.schema.json;
//  3. the CLI's cold start beside `node -e 0` (median ratio over interleaved pairs, wall clock and CPU).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { getLanguageService, TextDocument } from 'vscode-json-languageservice';
import { LintCache, lintConfigs } from '../src/core/lint/engine';
import { nodeFileHost } from '../src/core/node-host';
import { parseJson } from '../src/core/json/jsonc';
import { checkConfig } from '../src/core/config/rules';
import { DiagnosticSink } from '../src/core/rules/report';
import { SourceText } from '../src/core/text';
import { generateWorkspace } from './workspace';
import { median, ms, percentile } from './stats';

const ROOT = path.join(__dirname, '..', '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

async function main(): Promise<void> {
  const { root, configPaths } = generateWorkspace(200, 4);
  try {
    console.log(`workspace: 200 links in ${configPaths.length} configs, 200 pipelines, 200 ASL files, 200 payloads, 200 mocks (${root})`);

    // 1. Full lint. The first run pays for compiling the ASL schemas once per process.
    let t = performance.now();
    const first = await lintConfigs(configPaths, nodeFileHost);
    const coldRun = performance.now() - t;
    const problems = [...first.diagnostics.values()].reduce((n, l) => n + l.length, 0);
    const lintTimes: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      t = performance.now();
      await lintConfigs(configPaths, nodeFileHost);
      lintTimes.push(performance.now() - t);
    }
    const lintMedian = median(lintTimes);
    console.log(`bridge lint (in process, ${first.files.length} files, ${problems} problems): first run ${ms(coldRun)}, median ${ms(lintMedian)}, p95 ${ms(percentile(lintTimes, 95))} over ${RUNS} runs`);

    // 2. Schema-only validation of the same configs.
    const schema = JSON.parse(readFileSync(path.join(ROOT, 'schemas/bridge-config.schema.json'), 'utf8'));
    const service = getLanguageService({});
    service.configure({ validate: true, allowComments: true, schemas: [{ uri: 'bridge://schema', fileMatch: ['*.bridge.jsonc'], schema }] });
    const texts = configPaths.map((p) => readFileSync(p, 'utf8'));
    const schemaTimes: number[] = [];
    let schemaProblems = 0;
    for (let i = 0; i < RUNS + 1; i++) {
      t = performance.now();
      schemaProblems = 0;
      for (let c = 0; c < texts.length; c++) {
        const doc = TextDocument.create(`file://${configPaths[c]}`, 'jsonc', 1, texts[c]);
        const json = service.parseJSONDocument(doc);
        const diags = await service.doValidation(doc, json, { comments: 'ignore', trailingCommas: 'ignore' }, schema);
        schemaProblems += diags.length;
      }
      if (i > 0) schemaTimes.push(performance.now() - t);
    }
    const schemaMedian = median(schemaTimes);
    console.log(`vscode-json-languageservice schema validation of the same ${texts.length} configs (${schemaProblems} problems): median ${ms(schemaMedian)}`);
    console.log(`ratio full lint / schema-only: ${(lintMedian / schemaMedian).toFixed(2)} (below 1 means the full lint is faster)`);

    // For scale, the part of the lint that does what the schema pass does: the config files alone
    // (parse + every config rule), none of the 800 files they point at.
    const configTimes: number[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      t = performance.now();
      const sink = new DiagnosticSink();
      for (let c = 0; c < texts.length; c++) {
        const src = new SourceText(configPaths[c], texts[c]);
        const parsed = parseJson(src);
        if (parsed.root) checkConfig(src, parsed.root, sink);
      }
      if (i > 0) configTimes.push(performance.now() - t);
    }
    const configMedian = median(configTimes);
    console.log(`config rules alone on the same ${texts.length} configs (no referenced files): median ${ms(configMedian)}, ratio to schema-only ${(configMedian / schemaMedian).toFixed(2)}`);

    // A repeated lint in one process with the engine's LintCache (the editor, or a watch): unchanged
    // files are read and compared, not re-checked.
    const cache = new LintCache();
    await lintConfigs(configPaths, nodeFileHost, { cache });
    const warmTimes: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      t = performance.now();
      await lintConfigs(configPaths, nodeFileHost, { cache });
      warmTimes.push(performance.now() - t);
    }
    console.log(`re-lint of the unchanged workspace with a LintCache kept between runs: median ${ms(median(warmTimes))}`);

    // 3. Cold start of the CLI process, as pairs run back to back (node -e 0, then the command) so
    // that both see the same machine load; the figure is the median of the per-pair ratios. The
    // first runs of a fresh build write the V8 code cache next to dist/ (bin/bridge.js,
    // CACHE_REFRESH_RUNS) and are not counted. CPU time (user + system) is printed beside the wall
    // clock: it moves less when other processes compete for the cores.
    const bridge = path.join(ROOT, 'bin', 'bridge.js');
    for (let i = 0; i < 3; i++) spawnSync(process.execPath, [bridge, 'lint', 'samples'], { cwd: ROOT });
    const pairs = Number(process.env.BENCH_PAIRS ?? 21);
    const coldStart = (args: string[]) => {
      const wall: number[] = [];
      const cpu: number[] = [];
      for (let i = 0; i < pairs; i++) {
        const base = timedRun(['-e', '0']);
        const run = timedRun(args);
        wall.push(run.wall / base.wall);
        cpu.push(run.cpu / base.cpu);
      }
      return { wall: median(wall), cpu: median(cpu) };
    };
    const nodeAlone = median(Array.from({ length: 5 }, () => timedRun(['-e', '0']).wall));
    const version = coldStart([bridge, '--version']);
    const lintSamples = coldStart([bridge, 'lint', 'samples']);
    console.log(
      `cold start (median of ${pairs} pairs beside node -e 0, ${ms(nodeAlone)} alone): bridge --version ${version.wall.toFixed(2)}x (CPU ${version.cpu.toFixed(2)}x); ` +
        `bridge lint samples ${lintSamples.wall.toFixed(2)}x (CPU ${lintSamples.cpu.toFixed(2)}x); target <= 1.50x`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(CPU_REPORT, { force: true });
  }
}

/**
 * A preload that reports the process's own CPU time (user + system, from the kernel) on stderr as
 * it exits: Node offers no resource usage of children, and this counts the same for both sides.
 */
const CPU_REPORT = path.join(tmpdir(), `bridge-bench-cpu-${process.pid}.cjs`);
writeFileSync(CPU_REPORT, "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write('\\ncpu-ms:' + (u.user + u.system) / 1000 + '\\n'); });\n");

/** Runs node with `args` in the project folder: wall-clock ms and the child's CPU ms. */
function timedRun(args: string[]): { wall: number; cpu: number } {
  const start = performance.now();
  const r = spawnSync(process.execPath, ['-r', CPU_REPORT, ...args], { cwd: ROOT, encoding: 'utf8' });
  const wall = performance.now() - start;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const cpu = Number(/cpu-ms:([\d.]+)\s*$/.exec(r.stderr)?.[1]);
  return { wall, cpu };
}

main().catch((e) => {
  console.error(`bench failed: ${(e as Error).message}`);
  process.exitCode = 1;
});
