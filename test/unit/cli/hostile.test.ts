/**
 * Hostile input through `bridge lint`: diagnostics and exit 1, never a stack trace, never exit 2.
 * Most cases run in-process through `main(argv, io)`; a few spawn the packaged `bin/bridge.js`
 * (which runs dist/cli.js: `npm test` builds it first).
 */
import { test, describe, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, assertNoCrash, bridge, parseReport, tempDir, type Run } from './support';

const dir = tempDir('hostile');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const NEST = 20_000;
const binary = Buffer.concat([Buffer.from([0x00, 0xff, 0xfe, 0x01, 0x02]), crypto.randomBytes(512), Buffer.from([0x00])]);
const wrongTypes = JSON.stringify({
  version: '1',
  azure: [],
  aws: 5,
  environments: 'dev',
  links: {
    a: 7,
    b: null,
    c: [],
    d: { environment: 1, trigger: true, adf: 'x', stateMachine: [], gateway: 3, identity: 'y', correlation: false, s3: 1, payloads: 'p.json', mocks: {} },
    e: { trigger: 'adf-to-sfn', adf: { pipeline: 1, activity: [] }, stateMachine: { arn: {}, definition: 2 }, gateway: { url: 1, issuer: [], audience: null, throttle: 'fast' }, identity: { awsRoleArn: 9, azurePrincipalId: {} }, payloads: [1, null, {}], mocks: 3 },
  },
});

const HOSTILE: [string, string | Buffer][] = [
  ['an empty file', ''],
  ['only whitespace', ' \n\t\r\n '],
  ['[]', '[]'],
  ['null', 'null'],
  ['a bare string', '"links"'],
  ['a bare number', '0'],
  [`${NEST} nested brackets`, '['.repeat(NEST)],
  [`${NEST} nested balanced brackets`, '['.repeat(NEST) + ']'.repeat(NEST)],
  [`${NEST} nested objects`, '{"a":'.repeat(NEST) + '1' + '}'.repeat(NEST)],
  [`${NEST} nested objects under links`, '{"version":1,"links":' + '{"a":'.repeat(NEST) + '{}' + '}'.repeat(NEST + 1)],
  ['binary bytes', binary],
  ['a UTF-16 file with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"version":1}', 'utf16le')])],
  ['wrong types everywhere', wrongTypes],
  ['an unterminated string', '{"version": 1, "azure": {"tenantId": "abc'],
  ['an unterminated comment', '{"version": 1 /* '],
  ['a lone surrogate and control characters', '{"version": 1, "x\ud800": "\u0001\u0002", "links": {"\udfff": {}}}'],
  // Kept at 16 KiB: a 1 MiB string value makes the inline-secret regexes run for ~20 minutes
  // (quadratic backtracking, /tmp/team/lint-bugs.md #6).
  ['a long value on one line', '{"version": 1, "links": {"x": {"trigger": "' + 'z'.repeat(16 * 1024) + '"}}}'],
  ['referenced paths that escape everywhere', '{"version":1,"azure":{"tenantId":"7f3c7e4e-1b0a-4c8e-9d3e-2a1b5c6d7e8f","subscriptionId":"0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0","resourceGroup":"rg","factory":"fff","repoRoot":"/dev/null"},"aws":{"accountId":"123456789012","region":"eu-west-1"},"links":{"l":{"trigger":"s3-to-sfn","s3":{"bucket":"abc","prefix":"p"},"stateMachine":{"arn":"arn:aws:states:eu-west-1:123456789012:stateMachine:X","definition":"/proc/self/mem"},"identity":{"awsRoleArn":"arn:aws:iam::123456789012:role/r"},"payloads":["/dev/zero","../../../../../../etc"],"mocks":"/proc/self/status"}}}'],
];

/** Paths the file system refuses outright (NUL byte, a file used as a folder, a name too long). */
const REFUSED_PATHS: [string, string][] = [
  // Written as the JSON escape: a raw NUL inside a JSON string is a syntax error (a control
  // character), while "\u0000" is a valid string naming a path the OS refuses.
  ['a NUL byte', '\\u0000'],
  ['a file used as a folder', './hostile.bridge.json/payload.json'],
  ['a name too long for the file system', './' + 'n'.repeat(300) + '.json'],
];
function configWithMocks(mocks: string): string {
  return `{"version":1,"aws":{"accountId":"123456789012","region":"eu-west-1"},"links":{"l":{"trigger":"s3-to-sfn","s3":{"bucket":"abc","prefix":"p"},"stateMachine":{"arn":"arn:aws:states:eu-west-1:123456789012:stateMachine:X"},"identity":{"awsRoleArn":"arn:aws:iam::123456789012:role/r"},"mocks":"${mocks}","payloads":["${mocks}"]}}}`;
}

function write(name: string, content: string | Buffer, root = path.join(dir, 'hostile')): string {
  const sub = path.join(root, name.replace(/[^a-z0-9]+/gi, '-'));
  fs.mkdirSync(sub, { recursive: true });
  const file = path.join(sub, 'hostile.bridge.json');
  fs.writeFileSync(file, content);
  return file;
}

function assertProblemsReported(run: Run, what: string): void {
  assertNoCrash(run);
  assert.equal(run.code, 1, `${what}: exit ${run.code}\n${run.stderr}`);
}

describe('hostile configs, in-process', () => {
  for (const [name, content] of HOSTILE) {
    test(`${name}: json diagnostics on the config, exit 1`, async () => {
      const file = write(name, content);
      const run = await bridge(['lint', '--format', 'json', file], { cwd: path.dirname(file) });
      assertProblemsReported(run, name);
      const doc = parseReport(run.stdout);
      const entry = doc.files.find((f) => f.path === 'hostile.bridge.json');
      assert.ok(entry, `the config is listed: ${doc.files.map((f) => f.path).join(', ')}`);
      assert.ok(entry.diagnostics.some((d) => d.severity === 'error'), 'an error on the config itself');
      assert.ok(doc.errorCount >= 1);
      const text = Buffer.isBuffer(content) ? content.toString('utf8') : content;
      const lines = text.split(/\r\n|\r|\n/);
      for (const d of entry.diagnostics) {
        for (const p of [d.range.start, d.range.end]) {
          assert.ok(p.line < lines.length && p.character <= lines[p.line].length, `${d.code} range inside the file`);
        }
      }
    });
  }
  test('every hostile file at once, text format: exit 1, one summary', async () => {
    for (const [name, content] of HOSTILE) write(name, content);
    const run = await bridge(['lint', path.join(dir, 'hostile')], { cwd: dir });
    assertProblemsReported(run, 'all');
    assert.match(run.stdout, /\d+ problems? \(\d+ errors?/);
  });
  test('every hostile file at once, sarif: valid JSON, exit 1', async () => {
    const run = await bridge(['lint', '--format', 'sarif', path.join(dir, 'hostile')], { cwd: dir });
    assertProblemsReported(run, 'sarif');
    assert.ok(JSON.parse(run.stdout).runs[0].results.length >= HOSTILE.length);
  });
  test('specific diagnostics: [] and null are invalid-type, empty is json-syntax', async () => {
    const codes = async (content: string) => {
      const run = await bridge(['lint', '--format', 'json', write(`codes-${content || 'empty'}`, content)]);
      return parseReport(run.stdout).files.flatMap((f) => f.diagnostics.map((d) => d.code));
    };
    assert.deepEqual(await codes('[]'), ['invalid-type']);
    assert.deepEqual(await codes('null'), ['invalid-type']);
    assert.deepEqual(await codes(''), ['json-syntax']);
  });
});

describe('paths the file system refuses', () => {
  for (const [name, p] of REFUSED_PATHS) {
    test(`${name}: file-not-found on the config, exit 1`, async () => {
      const file = write(name, configWithMocks(p), path.join(dir, 'refused'));
      const run = await bridge(['lint', '--format', 'json', file], { cwd: path.dirname(file) });
      assertProblemsReported(run, name);
      const text = configWithMocks(p);
      const on = (after: string) => {
        const start = text.indexOf(after) + after.length;
        return { start: { line: 0, character: start }, end: { line: 0, character: start + p.length } };
      };
      const found = parseReport(run.stdout).files.flatMap((f) => f.diagnostics.map((d) => [f.path, d.code, d.range]));
      assert.deepEqual(found, [
        ['hostile.bridge.json', 'file-not-found', on('"mocks":"')],
        ['hostile.bridge.json', 'file-not-found', on('"payloads":["')],
      ]);
    });
  }
  test('a NUL byte: the message shows the path as written (\\u0000), not a raw control character', async () => {
    const file = write('nul-message', configWithMocks('\\u0000'), path.join(dir, 'refused'));
    const run = await bridge(['lint', file], { cwd: path.dirname(file) });
    assertProblemsReported(run, 'nul message');
    assert.doesNotMatch(run.stdout, /\u0000/);
    assert.match(run.stdout, /mocks: a MockConfigFile was not found at .*\\u0000\. Create it, or fix the path/);
  });
  test('a raw NUL byte inside a JSON string: json-syntax on the config (not JSON), exit 1', async () => {
    const file = write('raw-nul', configWithMocks('\u0000'), path.join(dir, 'refused'));
    const run = await bridge(['lint', '--format', 'json', file], { cwd: path.dirname(file) });
    assertProblemsReported(run, 'raw NUL');
    const found = parseReport(run.stdout).files.flatMap((f) => f.diagnostics.map((d) => [f.path, d.code, d.range]));
    assert.deepEqual(found, [['hostile.bridge.json', 'json-syntax', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }]]);
  });
});

describe('hostile referenced files, in-process', () => {
  test('binary pipeline, nested ASL, null payload, [] mocks: each reported on its own file, exit 1', async () => {
    const ws = path.join(dir, 'refs');  // its own tree: the other folders hold hostile configs
    const put = (rel: string, content: string | Buffer) => {
      fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
      fs.writeFileSync(path.join(ws, rel), content);
    };
    put('adf/pipeline/P.json', binary);
    put('sm.asl.json', '['.repeat(NEST));
    put('payload.json', 'null');
    put('mocks.json', '[]');
    put(
      'x.bridge.jsonc',
      JSON.stringify({
        version: 1,
        azure: { tenantId: '7f3c7e4e-1b0a-4c8e-9d3e-2a1b5c6d7e8f', subscriptionId: '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0', resourceGroup: 'rg', factory: 'fac', repoRoot: './adf' },
        aws: { accountId: '123456789012', region: 'eu-west-1' },
        links: {
          l: {
            trigger: 'sfn-to-adf',
            adf: { pipeline: 'P' },
            stateMachine: { arn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:X', definition: './sm.asl.json' },
            identity: { awsRoleArn: 'arn:aws:iam::123456789012:role/r' },
            payloads: ['./payload.json'],
            mocks: './mocks.json',
          },
        },
      }),
    );
    const run = await bridge(['lint', '--format', 'json', '.'], { cwd: ws });
    assertProblemsReported(run, 'refs');
    const doc = parseReport(run.stdout);
    const codesOf = (p: string) => doc.files.find((f) => f.path === p)?.diagnostics.map((d) => d.code) ?? [];
    assert.ok(codesOf('adf/pipeline/P.json').includes('json-syntax'), JSON.stringify(doc.files));
    assert.ok(codesOf('sm.asl.json').includes('asl-invalid'), JSON.stringify(doc.files));
    assert.ok(codesOf('mocks.json').includes('mock-invalid'), JSON.stringify(doc.files));
    assert.deepEqual(codesOf('x.bridge.jsonc'), []);
  });
});

describe('the packaged executable (node bin/bridge.js)', () => {
  const bin = path.join(ROOT, 'bin', 'bridge.js');
  const spawn = (args: string[], cwd = ROOT): Run => {
    const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', BRIDGE_DEBUG: '' }, maxBuffer: 64 << 20 });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  test('dist/cli.js exists (npm test runs the build first)', () => {
    assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'cli.js')), 'run `npm run build` before the unit tests');
  });
  test('bridge lint samples: exit 0', () => {
    const run = spawn(['lint', 'samples']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
  });
  test('bridge lint --format json on the hostile files: exit 1, one JSON document, no stack trace', () => {
    for (const [name, content] of HOSTILE) write(name, content, path.join(dir, 'spawned'));
    const run = spawn(['lint', '--format', 'json', path.join(dir, 'spawned')]);
    assertProblemsReported(run, 'spawned');
    const doc = parseReport(run.stdout);
    assert.ok(doc.files.filter((f) => f.path.endsWith('hostile.bridge.json')).length >= HOSTILE.length);
  });
  test(`${NEST} nested brackets alone: exit 1`, () => {
    const run = spawn(['lint', write('spawn-nested', '['.repeat(NEST) + ']'.repeat(NEST))]);
    assertProblemsReported(run, 'nested');
  });
  test('an unknown flag: exit 2 with a message, no stack trace', () => {
    const run = spawn(['lint', '--bogus', 'samples']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /bogus/);
    assertNoCrash(run);
  });
  test('a PATH that does not exist: exit 2', () => {
    const run = spawn(['lint', 'no/such/path']);
    assert.equal(run.code, 2);
    assertNoCrash(run);
  });
});
