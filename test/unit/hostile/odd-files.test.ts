/**
 * Odd files where bridge expects JSON (issue 14): a FIFO, a device, a file over the size limit, a
 * file it may not read. One reader checks kind and size before reading, so nothing blocks or fills
 * memory, and each case is named in words — never "not found … create it".
 *
 * A FIFO blocks whoever opens it for reading, the whole process for a synchronous open, so the
 * cases with one run in a child process with a time bound.
 */
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readTextFileSync, nodeFileHost } from '../../../src/core/node-host';
import { MAX_READ_BYTES } from '../../../src/core/host';
import { loadRepo } from '../../../src/sandbox/datafactory/repo';
import { startSandboxProcess } from '../sandbox/harness';

const ROOT = path.resolve(__dirname, '../../../..');
const SAMPLES = path.join(ROOT, 'samples');
const BIN = path.join(ROOT, 'bin', 'bridge.js');
const OUT = path.join(ROOT, 'out');
const CHILD_TIMEOUT_MS = 20_000;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-odd-files-'));
fs.chmodSync(dir, 0o755);
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function fifo(p: string): string {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  execFileSync('mkfifo', [p]);
  return p;
}

/** A sparse file of `bytes` (no disk used). */
function sparse(p: string, bytes: number): string {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, '');
  fs.truncateSync(p, bytes);
  return p;
}

/** A copy of the samples workspace to spoil. */
function workspace(name: string): string {
  const ws = path.join(dir, name);
  fs.cpSync(SAMPLES, ws, { recursive: true });
  return ws;
}

function replaceWith(file: string, make: (p: string) => void): void {
  fs.rmSync(file, { force: true });
  make(file);
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function spawnBridge(args: string[], cwd: string, extra: { uid?: number; gid?: number } = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: CHILD_TIMEOUT_MS, killSignal: 'SIGKILL', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 << 20, ...extra });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function messagesOf(run: Run): string[] {
  assert.equal(run.signal, null, `bridge lint did not finish within ${CHILD_TIMEOUT_MS} ms (killed)`);
  const doc = JSON.parse(run.stdout) as { files: { diagnostics: { message: string }[] }[] };
  return doc.files.flatMap((f) => f.diagnostics.map((d) => d.message));
}

describe('the one reader', () => {
  test('a regular file is read whole; a folder, a missing path, a device and an oversized file each say why', () => {
    const ok = path.join(dir, 'reader', 'ok.json');
    fs.mkdirSync(path.dirname(ok), { recursive: true });
    fs.writeFileSync(ok, '{"a": "é"}');
    assert.deepEqual(readTextFileSync(ok), { ok: true, text: '{"a": "é"}' });
    assert.deepEqual(readTextFileSync(path.dirname(ok)), { ok: false, kind: 'directory', reason: 'is a folder, not a file' });
    assert.deepEqual(readTextFileSync(path.join(dir, 'reader', 'none.json')), { ok: false, kind: 'missing', reason: 'does not exist' });
    assert.deepEqual(readTextFileSync('/dev/zero'), { ok: false, kind: 'not-regular', reason: 'is a character device, not a regular file' });
    const big = sparse(path.join(dir, 'reader', 'big.json'), MAX_READ_BYTES + 1);
    assert.deepEqual(readTextFileSync(big), { ok: false, kind: 'too-large', reason: 'is larger than the 16 MB limit' });
  });

  test('a file saved with a byte order mark (Windows editors) reads as its JSON, so status, Discover and the sandbox parse it', async () => {
    const bom = path.join(dir, 'reader', 'bom.asl.json');
    fs.mkdirSync(path.dirname(bom), { recursive: true });
    fs.writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"StartAt": "Go"}')]));
    assert.deepEqual(readTextFileSync(bom), { ok: true, text: '{"StartAt": "Go"}' });
    assert.deepEqual(JSON.parse((await nodeFileHost.readFile(bom))!), { StartAt: 'Go' });
    // Only a leading mark is one: U+FEFF inside the text is kept.
    fs.writeFileSync(bom, '{"a": "\ufeff"}');
    assert.deepEqual(readTextFileSync(bom), { ok: true, text: '{"a": "\ufeff"}' });
  });

  test('a file that says it is empty but is not (/proc) is read to its end', () => {
    const read = readTextFileSync('/proc/self/status');
    assert.ok(read.ok && /^Name:/m.test(read.text), JSON.stringify(read).slice(0, 200));
  });

  test('a FIFO is refused at once, with no writer on the other end (in a child: it would block the process)', () => {
    const p = fifo(path.join(dir, 'reader', 'pipe.json'));
    const code = `const h = require(${JSON.stringify(path.join(OUT, 'src/core/node-host.js'))});
      h.nodeFileHost.unreadableReason(${JSON.stringify(p)}).then((why) => console.log(JSON.stringify({ read: h.readTextFileSync(${JSON.stringify(p)}), why })));`;
    const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', timeout: CHILD_TIMEOUT_MS, killSignal: 'SIGKILL' });
    assert.equal(r.signal, null, 'reading a FIFO blocked');
    assert.deepEqual(JSON.parse(r.stdout), { read: { ok: false, kind: 'not-regular', reason: 'is a FIFO (named pipe), not a regular file' }, why: 'is a FIFO (named pipe), not a regular file' });
  });

  test('the disk host answers undefined for them and says why on request', async () => {
    assert.equal(await nodeFileHost.readFile('/dev/zero'), undefined);
    assert.equal(await nodeFileHost.unreadableReason!('/dev/zero'), 'is a character device, not a regular file');
    assert.equal(await nodeFileHost.unreadableReason!(path.join(dir, 'reader', 'none.json')), undefined);
  });
});

describe('bridge lint on odd referenced files', () => {
  test('a FIFO definition, a device payload and a 2 GB mocks file: exit 1 within the bound, each named for what it is', () => {
    const ws = workspace('lint-odd');
    replaceWith(path.join(ws, 'statemachines/retrain.asl.json'), fifo);
    replaceWith(path.join(ws, 'payloads/retrain-small.json'), (p) => fs.symlinkSync('/dev/zero', p));
    replaceWith(path.join(ws, 'mocks/retrain.mock.json'), (p) => sparse(p, 2 * 1024 * 1024 * 1024));
    const run = spawnBridge(['lint', '--format', 'json', '.'], ws);
    const messages = messagesOf(run);
    assert.equal(run.code, 1, run.stderr);
    const about = (file: string) => messages.filter((m) => m.includes(file)).join('\n');
    assert.match(about('retrain.asl.json'), /is a FIFO \(named pipe\), not a regular file/);
    assert.match(about('retrain-small.json'), /is a character device, not a regular file/);
    assert.match(about('retrain.mock.json'), /is larger than the 16 MB limit/);
    for (const m of messages) assert.doesNotMatch(m, /not found|Create it/, m);
  });

  test('a FIFO pipeline file in the ADF repo and a FIFO config in the folder: reported, not waited on', () => {
    const ws = workspace('lint-fifo-pipeline');
    replaceWith(path.join(ws, 'adf/pipeline/IngestLanding.json'), fifo);
    fifo(path.join(ws, 'other.bridge.jsonc'));
    const run = spawnBridge(['lint', '--format', 'json', '.'], ws);
    const messages = messagesOf(run);
    assert.equal(run.code, 1);
    assert.ok(messages.some((m) => /IngestLanding\.json is a FIFO \(named pipe\), not a regular file/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /This config file is a FIFO \(named pipe\), not a regular file/.test(m)), messages.join('\n'));
  });

  test('a FIFO named on the command line: exit 2 saying what it is', () => {
    const p = fifo(path.join(dir, 'cli-fifo', 'x.bridge.jsonc'));
    const run = spawnBridge(['lint', p], dir);
    assert.equal(run.signal, null, 'bridge lint blocked on the FIFO');
    assert.equal(run.code, 2);
    assert.match(run.stderr, /is a FIFO \(named pipe\), not a regular file/);
  });

  test('a payload it may not read: "permission denied", not "not found"', (t) => {
    const ws = workspace('lint-denied');
    const payload = path.join(ws, 'payloads/retrain-small.json');
    fs.chmodSync(payload, 0o000);
    // Root reads anything: run as nobody then (the workspace is readable by all but that file).
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    if (process.getuid?.() === 0) {
      for (let d = ws; d !== path.dirname(d) && d.startsWith(dir); d = path.dirname(d)) fs.chmodSync(d, 0o755);
      const probe = spawnSync(process.execPath, ['-e', '0'], { ...asNobody });
      if (probe.status !== 0) return t.skip('cannot run a child as nobody here');
    }
    const run = spawnBridge(['lint', '--format', 'json', '.'], ws, asNobody);
    const messages = messagesOf(run);
    assert.ok(messages.some((m) => m.includes('retrain-small.json') && /cannot be read: permission denied/.test(m)), messages.join('\n'));
    for (const m of messages) assert.doesNotMatch(m, /not found|Create it/, m);
  });
});

describe('other commands given a FIFO', () => {
  test('bridge status --sandbox-endpoints FIFO: exit 2 saying what it is, not a hang', () => {
    const p = fifo(path.join(dir, 'status-fifo', 'endpoints.json'));
    const run = spawnBridge(['status', '--sandbox-endpoints', p, SAMPLES], dir);
    assert.equal(run.signal, null, 'bridge status blocked on the FIFO');
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /is a FIFO \(named pipe\), not a regular file/);
  });

  test('bridge run --payload FIFO and --sandbox-endpoints FIFO: exit 2, not a hang', () => {
    const p = fifo(path.join(dir, 'run-fifo', 'payload.json'));
    for (const args of [['run', '--sandbox', '--link', 'landing-csv', '--payload', p, SAMPLES], ['run', '--sandbox-endpoints', p, '--link', 'landing-csv', SAMPLES]]) {
      const run = spawnBridge(args, dir);
      assert.equal(run.signal, null, `bridge ${args.slice(0, 3).join(' ')} … blocked on the FIFO`);
      assert.equal(run.code, 2, run.stderr);
    }
  });
});

describe('the sandbox on odd files', () => {
  test('a FIFO definition: bridge sandbox prints its first line and warns about the file', async () => {
    const ws = workspace('sandbox-fifo');
    replaceWith(path.join(ws, 'statemachines/retrain.asl.json'), fifo);
    const sb = await startSandboxProcess(['--port', '0', ws], CHILD_TIMEOUT_MS);
    try {
      assert.ok(sb.stepFunctions.startsWith('http://127.0.0.1:'));
      assert.ok(sb.stderr.some((l) => /retrain\.asl\.json is a FIFO \(named pipe\), not a regular file; skipped/.test(l)), sb.stderr.join('\n'));
    } finally {
      await sb.stop();
    }
  });

  test('pipeline files that are a FIFO, a device and over the limit: problems in words, the good pipelines still load', () => {
    const repo = path.join(dir, 'repo');
    fs.cpSync(path.join(SAMPLES, 'adf'), repo, { recursive: true });
    fifo(path.join(repo, 'pipeline', 'Fifo.json'));
    fs.symlinkSync('/dev/zero', path.join(repo, 'pipeline', 'Zero.json'));
    sparse(path.join(repo, 'pipeline', 'Big.json'), MAX_READ_BYTES + 1);
    // In a child: the old reader blocked on the FIFO, and read /dev/zero until memory ran out.
    const code = `require(${JSON.stringify(path.join(OUT, 'src/sandbox/datafactory/repo.js'))}).loadRepo(${JSON.stringify(repo)})
      .then((r) => console.log(JSON.stringify({ pipelines: [...r.pipelines.keys()].sort(), problems: r.problems.map((p) => [path.basename(p.file), p.message]) })));
      const path = require('node:path');`;
    const r = spawnSync(process.execPath, ['--max-old-space-size=256', '-e', code], { encoding: 'utf8', timeout: CHILD_TIMEOUT_MS, killSignal: 'SIGKILL' });
    assert.equal(r.signal, null, `loading the repo did not finish: ${r.stderr}`);
    const loaded = JSON.parse(r.stdout) as { pipelines: string[]; problems: [string, string][] };
    assert.deepEqual(loaded.pipelines, ['IngestLanding', 'RetrainModel']);
    assert.deepEqual(loaded.problems.sort(), [
      ['Big.json', 'The file is larger than the 16 MB limit; fix the file to run this pipeline in the sandbox.'],
      ['Fifo.json', 'The file is a FIFO (named pipe), not a regular file; fix the file to run this pipeline in the sandbox.'],
      ['Zero.json', 'The file is a character device, not a regular file; fix the file to run this pipeline in the sandbox.'],
    ]);
  });

  test('loadRepo in-process: a device as a factory file is a problem, not a hang', async () => {
    const repo = path.join(dir, 'repo-null');
    fs.cpSync(path.join(SAMPLES, 'adf'), repo, { recursive: true });
    fs.symlinkSync('/dev/null', path.join(repo, 'factory', 'null.json'));
    const loaded = await loadRepo(repo);
    assert.deepEqual(loaded.problems.map((p) => [path.basename(p.file), p.message]), [['null.json', 'The file is a character device, not a regular file; its global parameters are not available.']]);
  });
});
