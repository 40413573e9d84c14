// The extension's pure parts (no `vscode` import): run here inside VS Code with the rest, and in
// plain Node with `npx mocha --ui tdd out/test/integration/units.test.js`.
import * as assert from 'assert';
import * as path from 'path';
import { parse } from 'jsonc-parser';
import type { BridgeDiagnostic, QuickFixData } from '../../src/core/diagnostics';
import { memoryHost } from '../../src/core/node-host';
import { applyEdits, detectFormatting, fixEdits, declarePipelineParameterEdits, renameKeyEdits, replaceValueEdits } from '../../src/extension/quickfix/edits';
import { DiskCache } from '../../src/extension/validation/disk-cache';
import { ResultIndex } from '../../src/extension/validation/result-index';

const at = (text: string, needle: string) => ({ offset: text.indexOf(needle), length: needle.length });
const FMT = { tabSize: 2, insertSpaces: true, eol: '\n' };

suite('Quick-fix edits (jsonc-parser, no VS Code)', () => {
  test('rename keeps the comment and trailing comma on the line', () => {
    const text = '{\n  "a": 1,\n  "paylods": [], // note\n}\n';
    const out = applyEdits(text, renameKeyEdits(text, at(text, 'paylods'), 'payloads')!);
    assert.strictEqual(out, '{\n  "a": 1,\n  "payloads": [], // note\n}\n');
  });

  test('rename is not offered when the new key already exists', () => {
    const text = '{ "payloads": [], "paylods": [] }';
    assert.strictEqual(renameKeyEdits(text, at(text, 'paylods'), 'payloads'), undefined);
  });

  test('replace-value replaces the whole string or only the span inside it', () => {
    const text = '{ "arn": "arn:aws:states:us-east-1:1:stateMachine:X" }';
    const whole = at(text, 'arn:aws:states:us-east-1:1:stateMachine:X');
    assert.strictEqual(applyEdits(text, replaceValueEdits(text, whole, 'arn:aws:states:eu-west-1:1:stateMachine:X')!), '{ "arn": "arn:aws:states:eu-west-1:1:stateMachine:X" }');
    assert.strictEqual(applyEdits(text, replaceValueEdits(text, at(text, 'us-east-1'), 'eu-west-1')!), '{ "arn": "arn:aws:states:eu-west-1:1:stateMachine:X" }');
    const flag = '{ "protected": false }';
    assert.strictEqual(applyEdits(flag, replaceValueEdits(flag, at(flag, 'protected'), true)!), '{ "protected": true }');
  });

  test('insert-property creates the object path, keeps comments and uses the given indentation', () => {
    const text = '{\n\t// envs\n\t"environments": {\n\t\t"prod": {}\n\t}\n}';
    const fix: QuickFixData = { kind: 'insert-property', path: ['environments', 'prod'], key: 'protected', value: true };
    const out = applyEdits(text, fixEdits(text, at(text, 'prod'), fix, { tabSize: 4, insertSpaces: false, eol: '\n' })!);
    assert.ok(out.includes('// envs'));
    assert.deepStrictEqual(parse(out), { environments: { prod: { protected: true } } });
    assert.ok(/\n\t\t\t"protected": true/.test(out), out);
  });

  test('declaring a pipeline parameter adds properties.parameters when absent, in the file\'s own indentation', () => {
    const text = '{\r\n    "name": "P",\r\n    "properties": {\r\n        "activities": []\r\n    }\r\n}\r\n';
    const out = applyEdits(text, declarePipelineParameterEdits(text, 'correlationId', detectFormatting(text))!);
    assert.deepStrictEqual(parse(out), { name: 'P', properties: { activities: [], parameters: { correlationId: { type: 'string' } } } });
    assert.ok(out.includes('\r\n        "parameters": {\r\n            "correlationId": {'), JSON.stringify(out));
  });

  test('detectFormatting reads tabs, spaces and line ends', () => {
    assert.deepStrictEqual(detectFormatting('{\n\t"a": 1\n}'), { insertSpaces: false, tabSize: 4, eol: '\n' });
    assert.deepStrictEqual(detectFormatting('{\r\n    "a": 1\r\n}'), { insertSpaces: true, tabSize: 4, eol: '\r\n' });
    assert.deepStrictEqual(detectFormatting('{}'), FMT);
  });
});

suite('ResultIndex (no VS Code)', () => {
  const root = path.resolve('/ws');
  const p = (...parts: string[]) => path.join(root, ...parts);
  const diag = (file: string, code: BridgeDiagnostic['code'], line = 0): BridgeDiagnostic => ({
    code, severity: 'error', message: `${code} here`, file,
    range: { start: { line, character: 0 }, end: { line, character: 1 } },
  });

  test('one copy of a problem that two configs reach, and it stays until both let go', () => {
    const index = new ResultIndex();
    const pipeline = p('adf', 'pipeline', 'P.json');
    const shared = diag(pipeline, 'expression-error');
    index.set(p('a.bridge.jsonc'), { files: [pipeline], diagnostics: new Map([[pipeline, [shared]]]), dependencies: [pipeline] });
    index.set(p('b.bridge.jsonc'), { files: [pipeline], diagnostics: new Map([[pipeline, [{ ...shared }]]]), dependencies: [pipeline] });
    assert.strictEqual(index.diagnosticsFor(pipeline).length, 1);
    assert.deepStrictEqual(index.remove(p('a.bridge.jsonc')).sort(), [p('a.bridge.jsonc'), pipeline].sort());
    assert.strictEqual(index.diagnosticsFor(pipeline).length, 1, 'b still reaches it');
    index.set(p('b.bridge.jsonc'), { files: [pipeline], diagnostics: new Map(), dependencies: [pipeline] });
    assert.strictEqual(index.diagnosticsFor(pipeline).length, 0);
  });

  test('dependents: the file itself, files inside a folder it reads, files of a removed folder', () => {
    const index = new ResultIndex();
    index.set(p('a.bridge.jsonc'), { files: [], diagnostics: new Map(), dependencies: [p('adf'), p('adf', 'pipeline', 'P.json')] });
    index.set(p('b.bridge.jsonc'), { files: [], diagnostics: new Map(), dependencies: [p('payloads', 'x.json')] });
    assert.deepStrictEqual(index.dependents(p('adf', 'pipeline', 'P.json')), [p('a.bridge.jsonc')]);
    assert.deepStrictEqual(index.dependents(p('adf', 'pipeline', 'New.json')), [p('a.bridge.jsonc')], 'a new pipeline under repoRoot');
    assert.deepStrictEqual(index.dependents(p('payloads', 'x.json')), [p('b.bridge.jsonc')]);
    assert.deepStrictEqual(index.dependents(p('payloads')), [], 'a changed folder alone is not a removal');
    assert.deepStrictEqual(index.dependents(p('payloads'), true), [p('b.bridge.jsonc')], 'the folder holding a payload was removed');
    assert.deepStrictEqual(index.dependents(p('other.json')), []);
    index.set(p('b.bridge.jsonc'), { files: [], diagnostics: new Map(), dependencies: [] });
    assert.deepStrictEqual(index.dependents(p('payloads', 'x.json')), [], 'old dependencies are forgotten');
  });
});

suite('DiskCache (no VS Code)', () => {
  test('answers from memory until told that a path changed', async () => {
    const files = new Map([[path.resolve('/ws/a.json'), '1']]);
    let reads = 0;
    const base = memoryHost(files);
    const counting = { ...base, readFile: (f: string) => { reads++; return base.readFile(f); } };
    const cache = new DiskCache(counting, (f) => f.startsWith(path.resolve('/ws')));
    assert.strictEqual(await cache.host.readFile('/ws/a.json'), '1');
    files.set(path.resolve('/ws/a.json'), '2');
    assert.strictEqual(await cache.host.readFile('/ws/a.json'), '1', 'cached');
    assert.strictEqual(reads, 1);
    cache.invalidate('/ws/a.json');
    assert.strictEqual(await cache.host.readFile('/ws/a.json'), '2');
    cache.invalidate('/ws');
    assert.strictEqual(await cache.host.readFile('/ws/a.json'), '2');
    assert.strictEqual(reads, 3, 'invalidating a folder drops what is inside it');
    files.set(path.resolve('/elsewhere/b.json'), 'x');
    await cache.host.readFile('/elsewhere/b.json');
    await cache.host.readFile('/elsewhere/b.json');
    assert.strictEqual(reads, 5, 'paths nobody watches are always read');
  });
});
