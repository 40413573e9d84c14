// bin/bridge.js's V8 code cache: what the first runs of a build compile ends up in it, and then
// it is left alone (writing it costs ~5 ms a bundle). Run on a private copy of bin/ and dist/, so
// the tests running beside it keep their own cache.
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, SAMPLES, tempDir } from './support';

const dir = tempDir('code-cache');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function install(): string {
  fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'bin', 'bridge.js'), path.join(dir, 'bin', 'bridge.js'));
  for (const f of ['cli.js', 'asl.js', 'jsonata.js']) fs.copyFileSync(path.join(ROOT, 'dist', f), path.join(dir, 'dist', f));
  return path.join(dir, 'bin', 'bridge.js');
}

function run(bin: string, args: string[]): void {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: ROOT, encoding: 'utf8' });
  assert.ok(r.status === 0, `bridge ${args.join(' ')}: exit ${r.status}\n${r.stdout}${r.stderr}`);
}

/** The run count the cache header records, and the cache's size. */
function cacheOf(bundle: string): { runs: number; size: number; mtimeMs: number } {
  const file = path.join(dir, 'dist', `${bundle}.v8cache`);
  const data = fs.readFileSync(file);
  const [, runs] = data.subarray(0, 256).toString('utf8').replace(/\0+$/, '').split('\n');
  return { runs: Number(runs), size: data.length, mtimeMs: fs.statSync(file).mtimeMs };
}

test('a build whose first run is `bridge --version` still caches what `bridge lint` compiles, then stops writing the cache', () => {
  const bin = install();
  run(bin, ['--version']);
  const first = cacheOf('cli.js');
  assert.equal(first.runs, 1);
  assert.ok(!fs.existsSync(path.join(dir, 'dist', 'asl.js.v8cache')), 'bridge --version never loads the ASL bundle');

  run(bin, ['lint', SAMPLES]);
  const second = cacheOf('cli.js');
  assert.equal(second.runs, 2);
  // The lint engine's functions are in it now: several times what --version compiled.
  assert.ok(second.size > first.size * 2, `cli.js cache ${first.size} -> ${second.size} bytes`);
  assert.equal(cacheOf('asl.js').runs, 1);

  run(bin, ['lint', SAMPLES]);
  run(bin, ['lint', SAMPLES]);
  const settled = cacheOf('cli.js');
  assert.equal(settled.runs, 3);
  run(bin, ['lint', SAMPLES]);
  assert.equal(cacheOf('cli.js').mtimeMs, settled.mtimeMs, 'a run after the refresh runs rewrote the cache');
  assert.equal(cacheOf('asl.js').runs, 3);
});

test('a rebuilt bundle (another size or time) starts its cache again', () => {
  const bin = install();
  run(bin, ['lint', SAMPLES]);
  const cli = path.join(dir, 'dist', 'cli.js');
  const later = new Date(fs.statSync(cli).mtimeMs + 5_000);
  fs.utimesSync(cli, later, later);
  run(bin, ['lint', SAMPLES]);
  assert.equal(cacheOf('cli.js').runs, 1);
});
