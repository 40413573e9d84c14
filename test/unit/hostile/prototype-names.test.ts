/**
 * Names from the user's files that are Object.prototype members (issue 14): an activity type, a
 * pipeline or activity name in a *.sandbox.json. A name selects an entry of a table only when the
 * table has it as its own; "constructor" is a name like any other, never the Object function.
 */
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadRepo } from '../../../src/sandbox/datafactory/repo';
import { bridge, assertNoCrash } from '../cli/support';

const NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-prototype-names-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function put(rel: string, value: unknown): string {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return file;
}

describe('prototype member names in the files bridge reads', () => {
  test('bridge lint: activity types named like Object.prototype members are unknown types, not a crash', async () => {
    put('lint/adf/pipeline/P.json', {
      name: 'P',
      properties: { activities: NAMES.map((n, i) => ({ name: `A${i}`, type: n, dependsOn: [], typeProperties: { activities: [] } })), parameters: { correlationId: { type: 'String' } } },
    });
    put('lint/x.bridge.jsonc', {
      version: 1,
      azure: { tenantId: '7f3c7e4e-1b0a-4c8e-9d3e-2a1b5c6d7e8f', subscriptionId: '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0', resourceGroup: 'rg', factory: 'fac', repoRoot: './adf' },
      aws: { accountId: '123456789012', region: 'eu-west-1' },
      links: {
        l: {
          trigger: 'sfn-to-adf',
          adf: { pipeline: 'P' },
          stateMachine: { arn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:X' },
          identity: { awsRoleArn: 'arn:aws:iam::123456789012:role/r' },
          correlation: { adfParameter: 'correlationId' },
        },
      },
    });
    const run = await bridge(['lint', '--format', 'json', path.join(dir, 'lint')]);
    assertNoCrash(run);
    assert.notEqual(run.code, 2, run.stderr);
  });

  test('the sandbox: mocks keyed by such names load, and answer only for those names', async () => {
    const repo = path.join(dir, 'repo');
    put('repo/pipeline/constructor.json', { name: 'constructor', properties: { activities: [{ name: 'toString', type: 'Copy', typeProperties: {} }] } });
    // As text: in an object literal, `__proto__:` would set the prototype instead of a key.
    put(
      'repo/mocks.sandbox.json',
      '{"pipelines": {"constructor": {"activities": {"toString": {"output": {"rows": 1}}}}, "__proto__": {"activities": {"x": {"output": {}}}}},' +
        ' "activityTypes": {"valueOf": {"output": {"v": 1}}, "hasOwnProperty": {"status": "Failed"}}}',
    );
    const loaded = await loadRepo(repo);
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual([...loaded.pipelines.keys()], ['constructor']);
    assert.deepEqual(Object.keys(loaded.mocks.pipelines!).sort(), ['__proto__', 'constructor']);
    assert.deepEqual(loaded.mocks.pipelines!['constructor' as string].activities!['toString' as string], { output: { rows: 1 } });
    assert.deepEqual(Object.keys(loaded.mocks.activityTypes!).sort(), ['hasOwnProperty', 'valueOf']);
  });
});
