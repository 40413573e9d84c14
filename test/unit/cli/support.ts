import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/io';

export const ROOT = path.resolve(__dirname, '../../../..');
export const SAMPLES = path.join(ROOT, 'samples');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `bridge <argv>` in-process with a capturing io. */
export async function bridge(argv: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const cwd = opts.cwd ?? ROOT;
  const io: CliIo = {
    cwd,
    env: opts.env ?? {},
    color: false,
    stdout: (t) => out.push(t.endsWith('\n') ? t : t + '\n'),
    stderr: (t) => err.push(t.endsWith('\n') ? t : t + '\n'),
    resolve: (p) => path.resolve(cwd, p),
    stopSignal: new Promise(() => undefined),
  };
  const code = await main(argv, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `bridge-${prefix}-`));
}

/** No stack trace and no "internal error" in what a user sees. */
export function assertNoCrash(run: Run): void {
  const all = run.stdout + run.stderr;
  assert.doesNotMatch(all, /^\s+at .+:\d+:\d+\)?$/m, `a stack trace was printed:\n${all}`);
  assert.doesNotMatch(all, /internal error/i, `an internal error was printed:\n${all}`);
}

type JsonRange = { start: { line: number; character: number }; end: { line: number; character: number } };

export interface JsonReport {
  files: { path: string; diagnostics: { code: string; severity: string; message: string; range: JsonRange; related?: { path: string; message: string; range: JsonRange }[] }[] }[];
  errorCount: number;
  warningCount: number;
}

/** Parses stdout as exactly one JSON document of the spec's shape, checking the shape. */
export function parseReport(stdout: string): JsonReport {
  const doc = JSON.parse(stdout) as JsonReport; // throws on anything but one JSON document
  assert.deepEqual(Object.keys(doc).sort(), ['errorCount', 'files', 'warningCount']);
  assert.ok(Array.isArray(doc.files));
  let errors = 0;
  let warnings = 0;
  for (const f of doc.files) {
    assert.deepEqual(Object.keys(f).sort(), ['diagnostics', 'path']);
    assert.equal(typeof f.path, 'string');
    for (const d of f.diagnostics) {
      // `related` (the other side of a cross-file mismatch) only when there is one.
      assert.deepEqual(Object.keys(d).filter((k) => k !== 'related' || d.related !== undefined).sort(), d.related ? ['code', 'message', 'range', 'related', 'severity'] : ['code', 'message', 'range', 'severity']);
      for (const r of d.related ?? []) {
        assert.deepEqual(Object.keys(r).sort(), ['message', 'path', 'range']);
        assert.ok(r.path.length > 0 && r.message.length > 0);
      }
      assert.ok(['error', 'warning', 'info'].includes(d.severity), d.severity);
      assert.equal(typeof d.message, 'string');
      for (const p of [d.range.start, d.range.end]) {
        assert.deepEqual(Object.keys(p).sort(), ['character', 'line']);
        assert.ok(Number.isInteger(p.line) && p.line >= 0 && Number.isInteger(p.character) && p.character >= 0);
      }
      if (d.severity === 'error') errors++;
      if (d.severity === 'warning') warnings++;
    }
  }
  assert.equal(doc.errorCount, errors, 'errorCount counts the error diagnostics');
  assert.equal(doc.warningCount, warnings, 'warningCount counts the warning diagnostics');
  return doc;
}
