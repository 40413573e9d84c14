/** Fault injection: the spec parser, the decision function, and SFN faults seen through the real SDK. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { FaultInjector, FaultSpecError, parseFaultSpec } from '../../../src/sandbox/faults';
import { smArn, startSandbox, type Sandbox } from './helpers';

describe('parseFaultSpec', () => {
  it('reads global and per-service values, latencies and the seed', () => {
    const spec = parseFaultSpec('throttle=0.2, error=0.05,latency=150ms,adf.error=0.1,sfn.latency=1s,seed=42');
    assert.equal(spec.seed, 42);
    assert.deepEqual(spec.services.sfn, { throttle: 0.2, error: 0.05, latencyMs: [1000, 1000] });
    assert.deepEqual(spec.services.adf, { throttle: 0.2, error: 0.1, latencyMs: [150, 150] });
    assert.deepEqual(parseFaultSpec('latency=100-300ms').services.adf.latencyMs, [100, 300]);
    assert.deepEqual(parseFaultSpec('').services.sfn, { throttle: 0, error: 0, latencyMs: [0, 0] });
  });

  it('names the bad part of a bad spec', () => {
    const cases: [string, RegExp][] = [
      ['throttle=2', /"throttle=2".*outside 0\.\.1/],
      ['throttle=lots', /"throttle=lots".*not a probability/],
      ['jitter=0.1', /"jitter=0\.1".*unknown key "jitter"/],
      ['s3.error=0.1', /"s3\.error=0\.1".*unknown service "s3"/],
      ['latency=fast', /"latency=fast".*not a duration/],
      ['latency=300-100ms', /range starts above its end/],
      ['throttle', /"throttle".*missing "="/],
      ['seed=-1', /"seed=-1".*whole number/],
      ['throttle=0.1,throttle=0.2', /given twice/],
      ['throttle=0.1,,error=0.1', /empty entry/],
      ['throttle=0.7,error=0.5', /exceed 1/],
    ];
    for (const [text, message] of cases) {
      assert.throws(() => parseFaultSpec(text), (e: unknown) => e instanceof FaultSpecError && message.test(e.message), text);
    }
  });
});

describe('FaultInjector', () => {
  it('decides the same sequence for the same seed, independently per service', () => {
    const a = new FaultInjector('throttle=0.3,error=0.2,latency=10-50ms,seed=7');
    const b = new FaultInjector('throttle=0.3,error=0.2,latency=10-50ms,seed=7');
    const sfnA = Array.from({ length: 50 }, () => a.decide('sfn'));
    // Interleaving ADF requests does not change the SFN sequence.
    const sfnB = Array.from({ length: 50 }, () => (b.decide('adf'), b.decide('sfn')));
    assert.deepEqual(sfnB, sfnA);
    const kinds = new Set(sfnA.map((d) => d.kind));
    assert.deepEqual([...kinds].sort(), ['error', 'latency', 'throttle']);
    for (const d of sfnA) assert.ok(d.latencyMs >= 10 && d.latencyMs <= 50);
  });

  it('follows the configured rates', () => {
    const f = new FaultInjector('sfn.throttle=0.25,sfn.error=0.25,seed=1');
    const counts = { none: 0, latency: 0, throttle: 0, error: 0 };
    for (let i = 0; i < 4000; i++) counts[f.decide('sfn').kind]++;
    assert.ok(Math.abs(counts.throttle / 4000 - 0.25) < 0.04, `throttle ${counts.throttle}`);
    assert.ok(Math.abs(counts.error / 4000 - 0.25) < 0.04, `error ${counts.error}`);
    assert.deepEqual(new FaultInjector('sfn.throttle=1').decide('adf'), { kind: 'none', latencyMs: 0 });
    assert.equal(new FaultInjector('').inactive, true);
  });
});

describe('SFN faults through @aws-sdk/client-sfn', () => {
  const definition = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
  let sb: Sandbox | undefined;
  after(async () => {
    await sb?.close();
  });

  /** A seed whose first SFN decision is a throttle and whose second is not. */
  function seedThrottlingOnce(spec: string): number {
    for (let seed = 0; seed < 1000; seed++) {
      const f = new FaultInjector(`${spec},seed=${seed}`);
      if (f.decide('sfn').kind === 'throttle' && f.decide('sfn').kind === 'none') return seed;
    }
    throw new Error('no such seed');
  }

  it('answers a throttle as 400 ThrottlingException, which the SDK retries', async () => {
    const seed = seedThrottlingOnce('sfn.throttle=0.5');
    sb = await startSandbox({ stateMachines: [{ arn: smArn('A'), definition }], faults: new FaultInjector(`sfn.throttle=0.5,seed=${seed}`) });
    const out = await sb.client.send(new ListStateMachinesCommand({}));
    assert.equal(out.stateMachines?.[0].name, 'A');
    assert.equal(out.$metadata.attempts, 2);
    assert.deepEqual(sb.statuses, [400, 200]);
    await sb.close();
    sb = undefined;
  });

  it('gives up with the typed throttling error when every attempt is throttled', async () => {
    sb = await startSandbox({ stateMachines: [{ arn: smArn('A'), definition }], faults: new FaultInjector('sfn.throttle=1') }, { maxAttempts: 2 });
    await assert.rejects(sb.client.send(new ListStateMachinesCommand({})), (e: unknown) => {
      const err = e as { name: string; $metadata: { attempts?: number; httpStatusCode?: number }; $retryable?: { throttling?: boolean } };
      return err.name === 'ThrottlingException' && err.$metadata.attempts === 2 && err.$metadata.httpStatusCode === 400;
    });
    assert.equal(sb.requests.length, 2);
    await sb.close();
    sb = undefined;
  });

  it('answers an error fault as 500 InternalFailure, which the SDK also retries', async () => {
    sb = await startSandbox({ stateMachines: [{ arn: smArn('A'), definition }], faults: new FaultInjector('sfn.error=1,adf.error=0') }, { maxAttempts: 3 });
    await assert.rejects(sb.client.send(new ListStateMachinesCommand({})), (e: unknown) => {
      const err = e as { name: string; $fault: string; $metadata: { attempts?: number; httpStatusCode?: number } };
      return err.name === 'InternalFailure' && err.$fault === 'server' && err.$metadata.attempts === 3 && err.$metadata.httpStatusCode === 500;
    });
    assert.deepEqual(sb.statuses, [500, 500, 500]);
    await sb.close();
    sb = undefined;
  });

});
