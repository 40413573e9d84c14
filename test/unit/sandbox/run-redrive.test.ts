/**
 * A redriven execution continues the run's stream, end to end: `bridge sandbox` as a process, the
 * run engine following an adf-to-sfn link, the execution failing and being redriven (with the real
 * RedriveExecution) while the pipeline still runs; the stream goes on past ExecutionRedriven.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RedriveExecutionCommand } from '@aws-sdk/client-sfn';
import { createStepFunctionsClient, startRun } from '../../../src/cloud/index';
import { readBridgeConfig } from '../../../src/core/config/model';
import type { RunEvent } from '../../../src/core/run/events';
import { startSandboxProcess, type SandboxProcess } from './harness';

const TENANT = '7f3c7e4e-1b0a-4c8e-9d3e-2a1b5c6d7e8f';
const URL = 'https://r1r2r3r4r5.execute-api.eu-west-1.amazonaws.com/dev/flaky';
const ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Flaky';

function workspace(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bridge-redrive-'));
  for (const sub of ['adf/pipeline', 'adf/factory', 'sm']) mkdirSync(path.join(dir, sub), { recursive: true });
  writeFileSync(path.join(dir, 'adf/factory/f.json'), JSON.stringify({ name: 'f', properties: {} }));
  writeFileSync(
    path.join(dir, 'adf/pipeline/CallFlaky.json'),
    JSON.stringify({
      name: 'CallFlaky',
      properties: {
        parameters: { correlationId: { type: 'string' } },
        activities: [
          {
            name: 'Call',
            type: 'WebActivity',
            typeProperties: {
              method: 'POST',
              url: URL,
              body: { value: "@json(concat('{\"correlationId\":\"', pipeline().parameters.correlationId, '\"}'))", type: 'Expression' },
              authentication: { type: 'MSI', resource: 'api://flaky' },
            },
          },
          // Keeps the pipeline (the origin) going while the execution fails and is redriven.
          { name: 'Hold', type: 'Wait', dependsOn: [{ activity: 'Call', dependencyConditions: ['Succeeded'] }], typeProperties: { waitTimeInSeconds: 300 } },
        ],
      },
    }),
  );
  writeFileSync(path.join(dir, 'sm/flaky.asl.json'), JSON.stringify({ StartAt: 'Load', States: { Load: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'load' }, End: true } } }));
  writeFileSync(
    path.join(dir, 'sm/flaky.mock.json'),
    JSON.stringify({
      StateMachines: { Flaky: { TestCases: { FailsOnce: { Load: 'FailsOnce' } } } },
      MockedResponses: { FailsOnce: { '0': { Throw: { Error: 'Db.Unavailable', Cause: 'connection refused' } }, '1': { Return: { Payload: { rows: 12 } } } } },
    }),
  );
  writeFileSync(
    path.join(dir, 'flaky.bridge.jsonc'),
    JSON.stringify({
      version: 1,
      azure: { tenantId: TENANT, subscriptionId: '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0', resourceGroup: 'rg', factory: 'f', repoRoot: './adf' },
      aws: { accountId: '123456789012', region: 'eu-west-1' },
      environments: { dev: {} },
      links: {
        flaky: {
          trigger: 'adf-to-sfn',
          adf: { pipeline: 'CallFlaky', activity: 'Call' },
          stateMachine: { arn: ARN, definition: './sm/flaky.asl.json' },
          gateway: { url: URL, issuer: `https://sts.windows.net/${TENANT}/`, audience: 'api://flaky', throttle: { rateLimit: 10, burstLimit: 10 } },
          identity: { azurePrincipalId: '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b', awsRoleArn: 'arn:aws:iam::123456789012:role/r' },
          mocks: './sm/flaky.mock.json',
        },
      },
    }),
  );
  return dir;
}

describe('a redriven execution, end to end', () => {
  let dir: string;
  let sb: SandboxProcess;
  before(async () => {
    dir = workspace();
    sb = await startSandboxProcess(['--port', '0', '--quiet', dir]);
  });
  after(async () => {
    await sb.stop('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('events after ExecutionRedriven continue the same stream, and the summary is the redriven outcome', async () => {
    const file = path.join(dir, 'flaky.bridge.jsonc');
    const config = readBridgeConfig(file, readFileSync(file, 'utf8'));
    const sandbox = { stepFunctions: sb.stepFunctions, dataFactory: sb.dataFactory, caPem: sb.caPem };
    const sfn = createStepFunctionsClient({ region: 'eu-west-1', sandbox });
    const events: RunEvent[] = [];
    let redrive: Promise<unknown> | undefined;
    const handle = startRun({
      config,
      link: config.links[0],
      target: 'sandbox',
      sandbox,
      timeoutMs: 60_000,
      observer: {
        onEvent: (e) => {
          events.push(e);
          if (e.kind === 'ExecutionFailed' && !redrive) redrive = sfn.send(new RedriveExecutionCommand({ executionArn: e.executionArn }));
        },
      },
    });
    const summary = await handle.result;
    await redrive;
    assert.ok(redrive, 'the execution failed first');
    assert.equal(summary.status, 'Succeeded', summary.reason);
    const kinds = events.filter((e) => e.source === 'sfn').map((e) => e.kind);
    const at = kinds.indexOf('ExecutionRedriven');
    assert.ok(at > kinds.indexOf('ExecutionFailed'), kinds.join(','));
    assert.equal(kinds[kinds.length - 1], 'ExecutionSucceeded', kinds.join(','));
    const ids = events.filter((e) => e.source === 'sfn').map((e) => e.eventId!);
    assert.deepEqual(ids, ids.map((_, i) => i + 1), 'every history event once, across the redrive');
  });
});
