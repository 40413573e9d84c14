/**
 * Prints how long ASL and mock validation take after warm-up. A measuring script, not a test:
 * it does nothing unless run as `node out/test/unit/asl/measure-speed.js --measure`.
 */
import { parseJson } from '../../../src/core/json/jsonc';
import { DiagnosticSink } from '../../../src/core/rules/report';
import { SourceText } from '../../../src/core/text';
import { validateAslDefinition } from '../../../src/core/asl/validate';
import { validateMockConfig } from '../../../src/core/mocks/validate';
import { ORDER_WORKFLOW } from './fixtures';

function twentyStates(variant = 0): unknown {
  const states: Record<string, unknown> = {};
  for (let i = 0; i < 20; i++) {
    const next = i < 19 ? { Next: `Step${i + 1}` } : { End: true };
    states[`Step${i}`] =
      i % 4 === 3
        ? { Type: 'Choice', Choices: [{ Variable: '$.flag', BooleanEquals: true, Next: `Step${Math.min(i + 1, 19)}` }], Default: `Step${Math.min(i + 1, 19)}` }
        : { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: `fn-${i}-${variant}`, 'Payload.$': '$' }, ResultPath: `$.step${i}`, Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 2 }], ...next };
  }
  return { StartAt: 'Step0', States: states };
}

function time(label: string, textOf: string | ((round: number) => string), validate: (src: SourceText) => void, rounds = 500): void {
  const texts = typeof textOf === 'string' ? Array.from({ length: rounds + 51 }, () => textOf) : Array.from({ length: rounds + 51 }, (_, i) => textOf(i));
  const text = texts[0];
  const src = new SourceText('/bench/x.json', text);
  const t0 = performance.now();
  validate(src);
  const first = performance.now() - t0;
  for (let i = 1; i <= 50; i++) validate(new SourceText('/bench/x.json', texts[i]));
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const s = new SourceText('/bench/x.json', texts[51 + i]);
    const a = performance.now();
    validate(s);
    samples.push(performance.now() - a);
  }
  samples.sort((a, b) => a - b);
  const median = samples[samples.length >> 1];
  console.log(`${label}: first call ${first.toFixed(1)} ms, then median ${(median * 1000).toFixed(0)} µs, p90 ${(samples[Math.floor(samples.length * 0.9)] * 1000).toFixed(0)} µs (${text.length} chars)`);
}

if (process.argv.includes('--measure')) {
  console.log('(the first ASL call in a process loads and compiles the schemas it needs)');
  const asl = (src: SourceText) => validateAslDefinition(src, parseJson(src, { strict: true }), new DiagnosticSink());
  time('ASL parse + validate, 20 states, same file again (editor re-lint)', JSON.stringify(twentyStates(), null, 2), asl);
  time('ASL parse + validate, 20 states, every file different (no cached state)', (round) => JSON.stringify(twentyStates(round + 1), null, 2), asl);
  time('  of which parseJson alone', (round) => JSON.stringify(twentyStates(round + 1), null, 2), (src) => parseJson(src, { strict: true }));
  // Like the lead's bench: 200 different files in one run, after one warm-up run of other files.
  const batch = (offset: number) => Array.from({ length: 200 }, (_, i) => JSON.stringify(twentyStates(offset + i), null, 2));
  for (const text of batch(100_000)) asl(new SourceText('/bench/w.json', text));
  const files = batch(0);
  const t0 = performance.now();
  for (const text of files) asl(new SourceText('/bench/b.json', text));
  console.log(`ASL, 200 different 20-state files: ${(performance.now() - t0).toFixed(1)} ms in total (parse + validate)`);
  time('ASL parse + validate, 12 states, every type', JSON.stringify(ORDER_WORKFLOW, null, 2), asl);
  const mocks = JSON.stringify({
    StateMachines: { Orders: { TestCases: { Happy: { Validate: 'Ok' }, Retry: { Validate: 'Flaky' } } } },
    MockedResponses: { Ok: { '0': { Return: { Payload: { ok: true } } } }, Flaky: { '0-1': { Throw: { Error: 'Lambda.TooManyRequestsException', Cause: 'busy' } }, '2': { Return: {} } } },
  }, null, 2);
  time('MockConfigFile parse + validate', mocks, (src) => validateMockConfig(src, parseJson(src, { strict: true }), new DiagnosticSink(), { stateMachineName: 'Orders' }));
}
