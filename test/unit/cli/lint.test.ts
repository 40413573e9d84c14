/**
 * `bridge lint` as the spec fixes it: exit codes, --max-warnings, folder search, --format json
 * and sarif, and the samples linting clean. In-process through `main(argv, io)`.
 */
import { test, describe, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findBridgeConfigs, lintConfigs } from '../../../src/core/lint/engine';
import { nodeFileHost } from '../../../src/core/node-host';
import { CONFIG, PIPELINE, PAYLOAD, BASE_PIPELINE, SPEC_RULES, WS, baseFiles, edit, materialize, rangeOf } from '../lint/support';
import { SAMPLES, assertNoCrash, bridge, parseReport, tempDir } from './support';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
function workspace(files: Map<string, string>, prefix = 'ws'): { dir: string; at: (p: string) => string } {
  const dir = tempDir(prefix);
  dirs.push(dir);
  return { dir, at: materialize(files, dir) };
}

describe('the samples lint clean', () => {
  test('lintConfigs on samples/: no diagnostics at all, every referenced file looked at', async () => {
    const configs = await findBridgeConfigs([SAMPLES], nodeFileHost);
    assert.ok(configs.length >= 1);
    const result = await lintConfigs(configs, nodeFileHost);
    const all = [...result.diagnostics.values()].flat();
    assert.deepEqual(all.map((d) => `${path.relative(SAMPLES, d.file)} ${d.code} ${d.message}`), []);
    for (const sub of ['adf/pipeline/RetrainModel.json', 'statemachines/retrain.asl.json', 'payloads/retrain-small.json', 'mocks/retrain.mock.json']) {
      assert.ok(result.files.includes(path.join(SAMPLES, sub)), sub);
    }
  });
  test('bridge lint samples: exit 0, text says no problems', async () => {
    const run = await bridge(['lint', 'samples']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /No problems/);
  });
  test('bridge lint --format json samples: no diagnostics, every file listed', async () => {
    const run = await bridge(['lint', '--format', 'json', 'samples']);
    assert.equal(run.code, 0);
    const doc = parseReport(run.stdout);
    assert.equal(doc.errorCount + doc.warningCount, 0);
    const paths = doc.files.map((f) => f.path);
    assert.ok(paths.includes('samples/analytics.bridge.jsonc'), paths.join(', '));
    assert.ok(paths.includes('samples/adf/pipeline/RetrainModel.json'));
  });
  test('bridge lint with no PATH lints the current folder', async () => {
    const run = await bridge(['lint', '--format', 'json'], { cwd: SAMPLES });
    assert.equal(run.code, 0);
    assert.ok(parseReport(run.stdout).files.some((f) => f.path === 'analytics.bridge.jsonc'));
  });
  test('--max-warnings 0 on the samples: still exit 0', async () => {
    assert.equal((await bridge(['lint', '--max-warnings', '0', 'samples'])).code, 0);
  });
});

describe('exit code 2: bad usage', () => {
  const cases: [string, string[]][] = [
    ['an unknown flag', ['lint', '--fix', 'samples']],
    ['an unknown short flag', ['lint', '-q', 'samples']],
    ['a bad --format', ['lint', '--format', 'xml', 'samples']],
    ['--format without a value', ['lint', 'samples', '--format']],
    ['a negative --max-warnings', ['lint', '--max-warnings', '-1', 'samples']],
    ['a non-number --max-warnings', ['lint', '--max-warnings', 'many', 'samples']],
    ['a fractional --max-warnings', ['lint', '--max-warnings', '1.5', 'samples']],
    ['a PATH that does not exist', ['lint', 'samples/no-such-folder']],
    ['an unknown command', ['lnt', 'samples']],
  ];
  for (const [name, argv] of cases) {
    test(name, async () => {
      const run = await bridge(argv);
      assert.equal(run.code, 2, `${argv.join(' ')} → ${run.code}\n${run.stdout}${run.stderr}`);
      assert.ok(run.stderr.trim().length > 0, 'says what is wrong on stderr');
      assertNoCrash(run);
    });
  }
  test('the message names the bad value', async () => {
    assert.match((await bridge(['lint', '--format', 'xml'])).stderr, /xml/);
    assert.match((await bridge(['lint', 'nowhere-at-all'])).stderr, /nowhere-at-all/);
  });
  test('--help is not an error', async () => {
    const run = await bridge(['lint', '--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /--max-warnings/);
  });
});

describe('exit codes 0/1 and --max-warnings', () => {
  // One warning only: the gateway has no throttle.
  const warningOnly = edit(baseFiles(), CONFIG, ',\n        "throttle": { "rateLimit": 10, "burstLimit": 20 }', '');
  const oneError = edit(baseFiles(), CONFIG, '"version": 1,', '"version": 2,');
  const twoWarnings = edit(warningOnly, CONFIG, '"prod": { "protected": true }', '"prod": {}');

  test('warnings only, no --max-warnings: exit 0', async () => {
    const ws = workspace(warningOnly);
    const run = await bridge(['lint', '--format', 'json', '.'], { cwd: ws.dir });
    assert.equal(run.code, 0, run.stdout);
    const doc = parseReport(run.stdout);
    assert.equal(doc.warningCount, 1);
    assert.equal(doc.errorCount, 0);
  });
  test('--max-warnings 0 with a warning: exit 1', async () => {
    const ws = workspace(warningOnly);
    assert.equal((await bridge(['lint', '--max-warnings', '0', '.'], { cwd: ws.dir })).code, 1);
  });
  test('--max-warnings N at the count: exit 0; below it: exit 1', async () => {
    const ws = workspace(twoWarnings);
    assert.equal((await bridge(['lint', '--max-warnings', '2', '.'], { cwd: ws.dir })).code, 0);
    assert.equal((await bridge(['lint', '--max-warnings', '5', '.'], { cwd: ws.dir })).code, 0);
    assert.equal((await bridge(['lint', '--max-warnings', '1', '.'], { cwd: ws.dir })).code, 1);
    assert.equal((await bridge(['lint', '--max-warnings=1', '--format=json', '.'], { cwd: ws.dir })).code, 1);
  });
  test('an error: exit 1 whatever --max-warnings says', async () => {
    const ws = workspace(oneError);
    assert.equal((await bridge(['lint', '.'], { cwd: ws.dir })).code, 1);
    assert.equal((await bridge(['lint', '--max-warnings', '100', '.'], { cwd: ws.dir })).code, 1);
  });
  test('the text format names file, 1-based line:column, code', async () => {
    const ws = workspace(oneError);
    const run = await bridge(['lint', '.'], { cwd: ws.dir });
    const r = rangeOf(oneError.get(CONFIG)!, '2', '"version": ');
    assert.match(run.stdout, new RegExp(`config/main\\.bridge\\.jsonc[\\s\\S]*${r.start.line + 1}:${r.start.character + 1}\\b[\\s\\S]*unsupported-version`));
  });
});

describe('folders are searched recursively', () => {
  test('*.bridge.jsonc and *.bridge.json at any depth; nothing else', async () => {
    const dir = tempDir('tree');
    dirs.push(dir);
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    };
    write('top.bridge.jsonc', '{ "version": 1 }');
    write('a/b/c/deep.bridge.json', '{ "version": 2 }');
    write('a/other.json', '{ "version": 2 }');
    write('a/notes.bridge.jsonc.bak', '{ "version": 2 }');
    write('a/b/config.bridge.yaml', 'version: 2');
    const run = await bridge(['lint', '--format', 'json', '.'], { cwd: dir });
    assert.equal(run.code, 1);
    const doc = parseReport(run.stdout);
    assert.deepEqual(doc.files.map((f) => f.path).sort(), ['a/b/c/deep.bridge.json', 'top.bridge.jsonc']);
    const deep = doc.files.find((f) => f.path === 'a/b/c/deep.bridge.json')!;
    assert.deepEqual(deep.diagnostics.map((d) => d.code), ['unsupported-version']);
    assert.deepEqual(doc.files.find((f) => f.path === 'top.bridge.jsonc')!.diagnostics, []);
  });
  test('a file PATH is linted as given; several PATHs add up', async () => {
    const dir = tempDir('paths');
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'one.bridge.json'), '{ "version": 1 }');
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', 'two.bridge.jsonc'), '{ "version": 1, }');
    const run = await bridge(['lint', '--format', 'json', 'one.bridge.json', 'sub'], { cwd: dir });
    assert.equal(run.code, 0, run.stdout);
    assert.deepEqual(parseReport(run.stdout).files.map((f) => f.path).sort(), ['one.bridge.json', 'sub/two.bridge.jsonc']);
  });
});

describe('--format json', () => {
  // A url-mismatch (reported on the pipeline) plus a second config with no problems.
  const url = 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/other';
  const files = edit(baseFiles(), PIPELINE, '"url": "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/retrain"', `"url": "${url}"`);
  const clean = path.join(WS, 'config', 'clean.bridge.json');
  files.set(clean, '{ "version": 1 }\n');

  test('exactly one JSON document; every linted file listed, with and without diagnostics; the pipeline carries its diagnostic', async () => {
    const ws = workspace(files);
    const run = await bridge(['lint', '--format', 'json', '.'], { cwd: ws.dir });
    assert.equal(run.code, 1);
    const doc = parseReport(run.stdout);
    const byPath = new Map(doc.files.map((f) => [f.path, f]));
    const rel = (p: string) => path.relative(WS, p).split(path.sep).join('/');
    for (const f of [CONFIG, clean, PIPELINE, PAYLOAD]) assert.ok(byPath.has(rel(f)), `${rel(f)} listed in ${[...byPath.keys()].join(', ')}`);
    assert.deepEqual(byPath.get(rel(CONFIG))!.diagnostics, []);
    assert.deepEqual(byPath.get(rel(clean))!.diagnostics, []);
    const [d, ...rest] = byPath.get(rel(PIPELINE))!.diagnostics;
    assert.equal(rest.length, 0);
    assert.equal(d.code, 'url-mismatch');
    assert.equal(d.severity, 'error');
    assert.deepEqual(d.range, rangeOf(files.get(PIPELINE)!, url));
    assert.equal(doc.errorCount, 1);
    assert.equal(doc.warningCount, 0);
    for (const f of doc.files) assert.ok(fs.existsSync(path.resolve(ws.dir, f.path)), `${f.path} resolves against the working folder`);
  });
  test('paths outside the working folder are absolute', async () => {
    const ws = workspace(files);
    const elsewhere = tempDir('cwd');
    dirs.push(elsewhere);
    const run = await bridge(['lint', '--format', 'json', ws.dir], { cwd: elsewhere });
    for (const f of parseReport(run.stdout).files) {
      assert.ok(path.isAbsolute(f.path), f.path);
      assert.ok(fs.existsSync(f.path), f.path);
    }
  });
  test('no configs found: still one JSON document with empty files, exit 0', async () => {
    const dir = tempDir('empty');
    dirs.push(dir);
    const run = await bridge(['lint', '--format', 'json', '.'], { cwd: dir });
    assert.equal(run.code, 0);
    assert.deepEqual(parseReport(run.stdout), { files: [], errorCount: 0, warningCount: 0 });
  });
  test('static-credentials through the CLI reads the environment it is given', async () => {
    const ws = workspace(baseFiles());
    const creds = path.join(ws.dir, 'aws-credentials');
    const keyId = 'AKIA' + Array.from(crypto.randomBytes(16), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b % 32]).join('');
    fs.writeFileSync(creds, `[analytics-dev]\naws_access_key_id = ${keyId}\naws_secret_access_key = ${crypto.randomBytes(30).toString('base64')}\n`);
    const env = { AWS_SHARED_CREDENTIALS_FILE: creds, AWS_CONFIG_FILE: path.join(ws.dir, 'none'), HOME: ws.dir };
    const run = await bridge(['lint', '--format', 'json', 'config'], { cwd: ws.dir, env });
    assert.equal(run.code, 0, 'a warning alone exits 0');
    const doc = parseReport(run.stdout);
    const found = doc.files.flatMap((f) => f.diagnostics.map((d) => [f.path, d.code, d.severity]));
    assert.deepEqual(found, [['config/main.bridge.jsonc', 'static-credentials', 'warning']]);
    assert.ok(!run.stdout.includes(keyId), 'the key never appears in the output');
    assert.equal((await bridge(['lint', '--max-warnings', '0', 'config'], { cwd: ws.dir, env })).code, 1);
  });
});

describe('--format sarif', () => {
  const files = edit(baseFiles(), PIPELINE, '"resource": "api://bridge-retrain"', '"resource": "api://elsewhere"');
  const withWarning = edit(files, CONFIG, '"prod": { "protected": true }', '"prod": {}');

  test('valid SARIF 2.1.0 whose results match the JSON report', async () => {
    const ws = workspace(withWarning);
    const sarifRun = await bridge(['lint', '--format', 'sarif', '.'], { cwd: ws.dir });
    const jsonRun = await bridge(['lint', '--format', 'json', '.'], { cwd: ws.dir });
    assert.equal(sarifRun.code, 1);
    const sarif = JSON.parse(sarifRun.stdout);
    assert.equal(sarif.version, '2.1.0');
    assert.match(sarif.$schema, /sarif.*2\.1\.0/);
    assert.equal(sarif.runs.length, 1);
    const run = sarif.runs[0];
    assert.equal(typeof run.tool.driver.name, 'string');
    assert.ok(run.tool.driver.name.length > 0);
    const ruleIds = run.tool.driver.rules.map((r: { id: string }) => r.id);
    assert.deepEqual([...ruleIds].sort(), Object.keys(SPEC_RULES).sort());
    for (const r of run.tool.driver.rules) assert.ok(r.shortDescription?.text, `rule ${r.id} has a description`);

    const report = parseReport(jsonRun.stdout);
    const expected = report.files.flatMap((f) => f.diagnostics.map((d) => ({ f, d })));
    assert.equal(run.results.length, expected.length);
    assert.equal(expected.length, 2);
    for (const { f, d } of expected) {
      const r = run.results.find((x: any) => x.ruleId === d.code);
      assert.ok(r, `a result for ${d.code}`);
      assert.equal(r.level, d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'note');
      assert.equal(r.message.text, d.message);
      if (r.ruleIndex !== undefined) assert.equal(run.tool.driver.rules[r.ruleIndex].id, d.code);
      const loc = r.locations[0].physicalLocation;
      const base = loc.artifactLocation.uriBaseId ? run.originalUriBaseIds[loc.artifactLocation.uriBaseId].uri : '';
      const file = new URL(loc.artifactLocation.uri, base || undefined);
      assert.equal(decodeURIComponent(file.pathname), path.resolve(ws.dir, f.path));
      assert.equal(loc.region.startLine, d.range.start.line + 1);
      assert.equal(loc.region.startColumn, d.range.start.character + 1);
      assert.equal(loc.region.endLine, d.range.end.line + 1);
      assert.equal(loc.region.endColumn, d.range.end.character + 1);
    }
    const audience = run.results.find((x: any) => x.ruleId === 'audience-mismatch');
    const expectedRange = rangeOf(files.get(PIPELINE)!, 'api://elsewhere');
    assert.equal(audience.locations[0].physicalLocation.region.startLine, expectedRange.start.line + 1);
    assert.equal(audience.locations[0].physicalLocation.artifactLocation.uri, 'adf/pipeline/RetrainModel.json');
  });
  test('a cross-file mismatch carries the other side: relatedLocations in SARIF, related in JSON', async () => {
    const ws = workspace(files);
    const sarif = JSON.parse((await bridge(['lint', '--format', 'sarif', '.'], { cwd: ws.dir })).stdout);
    const audienceRange = rangeOf(files.get(CONFIG)!, 'api://bridge-retrain');
    const audience = sarif.runs[0].results.find((x: any) => x.ruleId === 'audience-mismatch');
    assert.equal(audience.relatedLocations.length, 1);
    const related = audience.relatedLocations[0];
    assert.equal(related.physicalLocation.artifactLocation.uri, 'config/main.bridge.jsonc');
    assert.deepEqual(related.physicalLocation.region, { startLine: audienceRange.start.line + 1, startColumn: audienceRange.start.character + 1, endLine: audienceRange.end.line + 1, endColumn: audienceRange.end.character + 1 });
    assert.match(related.message.text, /gateway\.audience/);
    const report = parseReport((await bridge(['lint', '--format', 'json', '.'], { cwd: ws.dir })).stdout) as any;
    const d = report.files.flatMap((f: any) => f.diagnostics).find((x: any) => x.code === 'audience-mismatch');
    assert.deepEqual(d.related, [{ path: 'config/main.bridge.jsonc', message: related.message.text, range: audienceRange }]);
  });
  test('a clean run: SARIF with an empty results array, exit 0', async () => {
    const run = await bridge(['lint', '--format', 'sarif', 'samples']);
    assert.equal(run.code, 0);
    assert.deepEqual(JSON.parse(run.stdout).runs[0].results, []);
  });
});

void BASE_PIPELINE;
