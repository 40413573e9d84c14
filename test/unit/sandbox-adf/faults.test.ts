import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RestError } from '@azure/core-rest-pipeline';
import { startSandbox, rawRequest, RESOURCE_GROUP, FACTORY, SUBSCRIPTION } from './helpers';
import { FaultInjector, type FaultDecision } from '../../../src/sandbox/faults';

/** A fault source that plays a fixed script, then answers normally; counts what it decided. */
function scripted(script: FaultDecision['kind'][], latencyMs = 0) {
  const served: string[] = [];
  return {
    served,
    decide(): FaultDecision {
      const kind = script.shift() ?? 'none';
      served.push(kind);
      if (kind === 'none') return { kind: 'none', latencyMs: 0 };
      return { kind, latencyMs } as FaultDecision;
    },
  };
}

describe('ADF sandbox: fault injection', () => {
  it('throttles with 429, Retry-After and the ARM TooManyRequests error; the SDK retries', async () => {
    const faults = scripted(['throttle', 'throttle']);
    const sb = await startSandbox({ faults, throttleRetryAfterSeconds: 1 });
    try {
      const p = await sb.client.pipelines.get(RESOURCE_GROUP, FACTORY, 'Greeting');
      assert.equal(p.name, 'Greeting');
      assert.deepEqual(faults.served, ['throttle', 'throttle', 'none'], 'two throttled attempts, then the retry went through');
    } finally {
      await sb.close();
    }
  });

  it('sends the throttle wire shape', async () => {
    const sb = await startSandbox({ faults: scripted(['throttle']), throttleRetryAfterSeconds: 3 });
    try {
      const r = await rawRequest(sb, 'GET', `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.DataFactory/factories/${FACTORY}/pipelines?api-version=2018-06-01`, undefined, { Authorization: 'Bearer t' });
      assert.equal(r.status, 429);
      assert.equal(r.headers['retry-after'], '3');
      assert.equal(r.body.error.code, 'TooManyRequests');
    } finally {
      await sb.close();
    }
  });

  it('answers injected errors with a 500 ARM error that the SDK retries, and surfaces it when retries run out', async () => {
    const once = scripted(['error']);
    const sb = await startSandbox({ faults: once });
    try {
      const { runId } = await sb.client.pipelines.createRun(RESOURCE_GROUP, FACTORY, 'Greeting', { parameters: { who: 'retry' } });
      assert.ok(runId);
      assert.deepEqual(once.served.slice(0, 2), ['error', 'none']);
    } finally {
      await sb.close();
    }
    const always = await startSandbox({ faults: { decide: () => ({ kind: 'error', latencyMs: 0 }) } });
    try {
      await assert.rejects(always.client.pipelines.get(RESOURCE_GROUP, FACTORY, 'Greeting'), (e: unknown) => e instanceof RestError && e.statusCode === 500 && e.code === 'InternalServerError');
    } finally {
      await always.close();
    }
  });

  it('delays answers by the injected latency', async () => {
    const sb = await startSandbox({ faults: scripted(['latency'], 150) });
    try {
      const t0 = Date.now();
      await sb.client.pipelines.get(RESOURCE_GROUP, FACTORY, 'Greeting');
      assert.ok(Date.now() - t0 >= 140, 'the first request waited the injected latency');
    } finally {
      await sb.close();
    }
  });

  it('works with the shared FaultInjector: a seeded throttle storm still completes through SDK retries', async () => {
    const injector = new FaultInjector('adf.throttle=0.3,seed=7');
    let throttled = 0;
    const sb = await startSandbox({ faults: { decide: (s) => { const d = injector.decide(s); if (d.kind === 'throttle') throttled++; return d; } }, throttleRetryAfterSeconds: 0 });
    try {
      for (let i = 0; i < 8; i++) assert.equal((await sb.client.pipelines.get(RESOURCE_GROUP, FACTORY, 'Greeting')).name, 'Greeting');
      assert.ok(throttled > 0, 'some requests were throttled and retried');
    } finally {
      await sb.close();
    }
  });
});
