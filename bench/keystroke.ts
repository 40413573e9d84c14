// Revalidation latency per keystroke, as the editor pays it: one config of 50 links (each with
// its pipeline, ASL definition, payload and mocks on disk), edited one character at a time in an
// unsaved buffer. Each keystroke lints the config through an overlay host holding the buffer
// (src/core/node-host.ts `overlayHost`) over the extension's DiskCache, with the engine's
// LintCache kept between keystrokes, then stores the result in the extension's ResultIndex
// and reads back the diagnostics of every file, as the extension's Validator does.
// Prints median and p95; asserts nothing.   node out/bench/keystroke.js   (BENCH_KEYSTROKES=200)
import { readFileSync, rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { LintCache, lintConfigs } from '../src/core/lint/engine';
import { nodeFileHost, overlayHost } from '../src/core/node-host';
import { DiskCache } from '../src/extension/validation/disk-cache';
import { ResultIndex } from '../src/extension/validation/result-index';
import { median, ms, percentile } from './stats';
import { generateWorkspace } from './workspace';

const KEYSTROKES = Number(process.env.BENCH_KEYSTROKES ?? 200);
const LINKS = 50;

async function main(): Promise<void> {
  const { root, configPaths } = generateWorkspace(LINKS, 1);
  const config = configPaths[0];
  try {
    const saved = readFileSync(config, 'utf8');
    // Type into the audience of the middle link, then delete it again: half the keystrokes leave
    // the config valid, half make a value that the rules check.
    const anchor = saved.indexOf(`api://bridge-retrain-${LINKS / 2}"`);
    if (anchor < 0) throw new Error('bench: the generated config changed shape; update the anchor');
    const cursor = anchor + `api://bridge-retrain-${LINKS / 2}`.length;
    const typed = 'x'.repeat(KEYSTROKES / 2);
    const buffers: string[] = [];
    for (let i = 1; i <= KEYSTROKES; i++) {
      const n = i <= KEYSTROKES / 2 ? i : KEYSTROKES - i;
      buffers.push(saved.slice(0, cursor) + typed.slice(0, n) + saved.slice(cursor));
    }

    const index = new ResultIndex();
    // Kept between keystrokes, as the extension's Validator keeps them (the workspace is watched).
    const cache = new LintCache();
    const disk = new DiskCache(nodeFileHost, () => true);
    const revalidate = async (text: string): Promise<number> => {
      const result = await lintConfigs([config], overlayHost(disk.host, new Map([[config, text]])), { cache });
      const changed = index.set(config, { files: result.files, diagnostics: result.diagnostics, dependencies: result.dependencies.get(config) ?? [] });
      let shown = 0;
      for (const file of changed) shown += index.diagnosticsFor(file).length;
      return shown;
    };

    let t = performance.now();
    const firstProblems = await revalidate(saved);
    const first = performance.now() - t;
    for (let i = 0; i < 5; i++) await revalidate(buffers[i]); // warm the JIT like a few seconds of typing would

    const times: number[] = [];
    let maxProblems = 0;
    for (const text of buffers) {
      t = performance.now();
      maxProblems = Math.max(maxProblems, await revalidate(text));
      times.push(performance.now() - t);
    }
    const files = (await lintConfigs([config], nodeFileHost)).files.length;
    console.log(`keystroke revalidation: 1 config, ${LINKS} links, ${files} files looked at per run, ${saved.length} characters`);
    console.log(`  first run (cold: compiles the ASL schemas) ${ms(first)}, ${firstProblems} problems`);
    console.log(`  per keystroke over ${KEYSTROKES} keystrokes: median ${ms(median(times))}, p95 ${ms(percentile(times, 95))}, max ${ms(Math.max(...times))} (up to ${maxProblems} problems shown)`);
    console.log('  target: median <= 10 ms (the editor adds a 200 ms typing pause before each run: bridge.validation.delay)');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`bench failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
});
