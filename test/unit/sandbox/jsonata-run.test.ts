/**
 * A JSONata state machine (variables, Map, Parallel, Choice) end to end: `bridge run --sandbox` on
 * the workspace test/fixtures/jsonata-workspace, as a user runs it, and the same definition's output
 * checked value by value through the service.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { StepFunctionsService } from '../../../src/sandbox/stepfunctions/service';
import { ROOT } from './harness';

const WORKSPACE = path.join(ROOT, 'test', 'fixtures', 'jsonata-workspace');
const ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:OrderTotals';
const readJson = (rel: string): object => JSON.parse(readFileSync(path.join(WORKSPACE, rel), 'utf8')) as object;

describe('a JSONata workspace through bridge run --sandbox', () => {
  it('runs the link to success and prints every state, iteration and branch once', () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'bridge.js'), 'run', '--sandbox', WORKSPACE], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    assert.equal(result.status, 0, `stdout: ${result.stdout}\nstderr: ${result.stderr}`);
    const lines = result.stdout.split('\n');
    const count = (text: string) => lines.filter((l) => l.includes(text)).length;
    assert.equal(count('MapIterationSucceeded'), 3);
    assert.equal(count('TaskStateExited GetPrice'), 3);
    assert.equal(count('PassStateExited Tax'), 1);
    assert.equal(count('PassStateExited Count'), 1);
    assert.equal(count('ParallelStateExited Summarize'), 1);
    assert.equal(count('ExecutionSucceeded'), 1);
    assert.match(result.stdout, /1 of 1 test run succeeded\./);
    assert.doesNotMatch(result.stdout + result.stderr, /not emulate/);
  });

  it('computes the documented output: variables across Map, Parallel and Choice', async () => {
    const service = new StepFunctionsService({
      stateMachines: [{ arn: ARN, definition: readJson('statemachines/order-totals.asl.json'), mockConfig: readJson('mocks/order-totals.mock.json') }],
    });
    try {
      const input = { ...readJson('payloads/order-landed.json'), correlationId: 'c-42' };
      const { executionArn } = await service.startExecution({ stateMachineArn: ARN, name: 'c-42', input: JSON.stringify(input) });
      const done = await service.waitForExecution(executionArn, 10_000);
      assert.equal(done.status, 'SUCCEEDED', done.cause);
      // Lines: 2 × 10 + 1 × 20 + 5 × 20 = 140 net; 20 % tax = 28.
      assert.deepEqual(JSON.parse(done.output ?? ''), { correlationId: 'c-42', key: 'incoming/2026/12/01/order-1042.json', lines: 3, net: 140, tax: 28, total: 168, size: 'large' });
      const exits = done.events.filter((e) => e.type.endsWith('StateExited')).map((e) => e.stateExitedEventDetails as { name: string; assignedVariables?: Record<string, string> });
      assert.deepEqual(exits.find((d) => d.name === 'PriceLines')?.assignedVariables, { net: '140' });
      assert.deepEqual(exits.find((d) => d.name === 'IsLarge')?.assignedVariables, { size: '"large"' });
    } finally {
      await service.close();
    }
  });
});
