// The editor's models without VS Code: the Links view's model, the runs model, the run arguments,
// and the config model's ranges that the tree and the lenses open.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { readBridgeConfig } from '../../../src/core/config/model';
import type { BridgeDiagnostic } from '../../../src/core/diagnostics';
import type { RunEvent } from '../../../src/core/run/events';
import { LinksModel, type LinksNode } from '../../../src/extension/links/model';
import { parseRunArguments, resolvePayloadFile, RunArgumentError } from '../../../src/extension/runs/arguments';
import { formatDuration, RunsModel } from '../../../src/extension/runs/model';

const ROOT = path.resolve('/ws');
const CONFIG = path.join(ROOT, 'a.bridge.jsonc');
const CONFIG_TEXT = `{
  "version": 1,
  "azure": { "factory": "f", "repoRoot": "./adf" },
  "environments": { "dev": {}, "prod": { "protected": true } },
  "links": {
    "first": { "environment": "prod", "trigger": "adf-to-sfn", "adf": { "pipeline": "P", "activity": "Call" },
               "stateMachine": { "arn": "arn:aws:states:eu-west-1:123456789012:stateMachine:M", "definition": "./m.asl.json" },
               "payloads": ["./p1.json", "./p2.json"] },
    "second": { "environment": "dev", "trigger": "s3-to-sfn", "s3": { "bucket": "b" } }
  }
}`;
const PIPELINE = path.join(ROOT, 'adf', 'pipeline', 'P.json');
const PIPELINE_TEXT = '{ "name": "P", "properties": { "activities": [ { "name": "Call", "type": "WebActivity" } ] } }';
const ASL = path.join(ROOT, 'm.asl.json');
const ASL_TEXT = '{ "StartAt": "Go", "States": { "Go": { "Type": "Succeed" } } }';

function model(files: Record<string, string>, problems: Record<string, BridgeDiagnostic[]> = {}) {
  const reads: string[] = [];
  const m = new LinksModel({
    read: async (f) => {
      reads.push(f);
      return files[f];
    },
    problems: (f) => problems[f] ?? [],
  });
  return { m, reads };
}

const changed = (m: LinksModel) => new Promise<void>((resolve) => { const s = m.onDidChange.on(() => (s.dispose(), resolve())); });

test('config model: each link carries the ranges of its key, its entry, its blocks and its payloads', () => {
  const config = readBridgeConfig(CONFIG, CONFIG_TEXT);
  const lines = CONFIG_TEXT.split('\n');
  const first = config.links[0].locations!;
  const slice = (r: { start: { line: number; character: number }; end: { line: number; character: number } }) =>
    r.start.line === r.end.line ? lines[r.start.line].slice(r.start.character, r.end.character) : `${lines[r.start.line].slice(r.start.character)}…`;
  assert.equal(slice(first.key), '"first"');
  assert.equal(slice(first.payloads[1]), '"./p2.json"');
  assert.equal(slice(first.adf!), '{ "pipeline": "P", "activity": "Call" }');
  assert.equal(first.s3, undefined);
  assert.equal(slice(config.links[1].locations!.s3!), '{ "bucket": "b" }');
});

test('links model: a placeholder until the scan answers, then configs, links, ends in flow order and payloads', async () => {
  const { m } = model({ [CONFIG]: CONFIG_TEXT, [PIPELINE]: PIPELINE_TEXT, [ASL]: ASL_TEXT });
  assert.deepEqual(m.roots().map((n) => n.kind), ['placeholder']);
  assert.equal(m.state, 'loading');
  m.setConfigs([CONFIG]);
  await m.whenLoaded();
  assert.equal(m.state, 'ready');
  const [config] = m.roots();
  assert.equal(config.kind === 'config' && config.linkCount, 2);
  const links = m.children(config);
  assert.deepEqual(links.map((l) => l.kind === 'link' && [l.link.name, l.protected]), [['first', true], ['second', false]]);
  const under = m.children(links[0]);
  assert.deepEqual(under.map((n) => (n.kind === 'end' ? n.end : n.kind === 'payload' ? n.label : n.kind)), ['adf', 'gateway', 'sfn', 'p1.json', 'p2.json']);
  // Ends point into the config first, then at the activity and the first state once read.
  await changed(m);
  const ends = m.children(links[0]).filter((n): n is Extract<LinksNode, { kind: 'end' }> => n.kind === 'end');
  assert.equal(ends[0].location.file, PIPELINE);
  assert.equal(ends[0].location.range!.start.character, PIPELINE_TEXT.indexOf('"Call"'));
  assert.equal(ends[2].location.file, ASL);
  assert.equal(ends[2].location.range!.start.character, ASL_TEXT.indexOf('"Go": {'));
  // A link without payloads offers the generated dummy.
  assert.deepEqual(m.children(links[1]).map((n) => (n.kind === 'end' ? n.end : n.kind === 'payload' ? n.label : n.kind)), ['s3', 'sfn', 'Generated dummy payload']);
});

test('links model: an unreadable config is an error node, never a throw; an empty one says so', async () => {
  const empty = path.join(ROOT, 'empty.bridge.jsonc');
  const { m } = model({ [empty]: '{ "version": 1, "links": {} }' });
  m.setConfigs([path.join(ROOT, 'gone.bridge.jsonc'), empty]);
  await m.whenLoaded();
  const [emptyNode, gone] = m.roots();
  assert.equal(gone.kind === 'config' && gone.state, 'error');
  assert.deepEqual(m.children(gone).map((n) => n.kind), ['error']);
  assert.match((m.children(emptyNode)[0] as { label: string }).label, /No links yet/);
});

test('links model: problems inside a link\'s entry and in the files it reads are the link\'s', async () => {
  const config = readBridgeConfig(CONFIG, CONFIG_TEXT);
  const at = (line: number): BridgeDiagnostic => ({ code: 'invalid-value', severity: 'error', message: 'x', file: CONFIG, range: { start: { line, character: 20 }, end: { line, character: 22 } } });
  const firstLine = CONFIG_TEXT.split('\n').findIndex((l) => l.includes('"first"'));
  const warn: BridgeDiagnostic = { code: 'missing-throttle', severity: 'warning', message: 'y', file: ASL, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };
  const { m } = model({ [CONFIG]: CONFIG_TEXT }, { [CONFIG]: [at(firstLine), at(1)], [ASL]: [warn] });
  assert.deepEqual(m.problemsOf(config, config.links[0]), { errors: 1, warnings: 1, infos: 0 });
  assert.deepEqual(m.problemsOf(config, config.links[1]), { errors: 0, warnings: 0, infos: 0 });
});

test('links model: a newer read of a config wins over an older one that answers late', async () => {
  let release: (text: string) => void = () => undefined;
  const texts = [new Promise<string>((r) => (release = r)), Promise.resolve(CONFIG_TEXT)];
  let call = 0;
  const m = new LinksModel({ read: () => texts[call++], problems: () => [] });
  m.setConfigs([CONFIG]);
  m.reload(CONFIG);
  await m.whenLoaded();
  release('{ "links": { "stale": {} } }');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(m.links().map((x) => x.link.name), ['first', 'second']);
});

test('runs model: steps from span marks and from ids, nested, with statuses and durations; newest first', () => {
  const runs = new RunsModel();
  const origin = { configPath: CONFIG, link: 'first', payload: undefined, target: 'sandbox' as const };
  const start = (id: string) => runs.start({ type: 'run', correlationId: id, link: 'first', config: CONFIG, target: 'sandbox', startedAt: '2026-01-01T00:00:00.000Z' }, origin);
  const r = start('c1');
  const ev = (e: Partial<RunEvent>): RunEvent => ({ type: 'event', correlationId: 'c1', source: 'adf', id: String(Math.random()), time: '2026-01-01T00:00:00.000Z', kind: 'activity', ...e });
  runs.event(r, ev({ kind: 'pipeline', name: 'P', pipelineRunId: 'run1', status: 'InProgress', time: '2026-01-01T00:00:00.000Z' }));
  runs.event(r, ev({ kind: 'activity', name: 'Call', pipelineRunId: 'run1', activityRunId: 'a1', status: 'InProgress', time: '2026-01-01T00:00:00.100Z' }));
  runs.event(r, ev({ kind: 'activity', name: 'Call', pipelineRunId: 'run1', activityRunId: 'a1', status: 'Failed', time: '2026-01-01T00:00:01.600Z', error: { code: 'E', message: 'boom' } }));
  runs.event(r, ev({ source: 'sfn', kind: 'ExecutionStarted', executionArn: 'arn:x:execution:M:c1', id: 's1', span: { key: 'exec', of: 'execution', phase: 'start' } }));
  runs.event(r, ev({ source: 'sfn', kind: 'TaskStateEntered', name: 'Go', executionArn: 'arn:x:execution:M:c1', id: 's2', span: { key: 'go', of: 'state', phase: 'start', parent: 'exec' } }));
  runs.summary(r, { type: 'summary', correlationId: 'c1', status: 'Cancelled', events: 5, pipelineRunId: 'run1', executionArn: 'arn:x:execution:M:c1' });
  const roots = r.roots.map((k) => r.steps.get(k)!);
  assert.deepEqual(roots.map((s) => [s.of, s.name]), [['pipeline', 'P'], ['execution', 'arn:x:execution:M:c1'.split(':').slice(-2).join(':')]]);
  const call = r.steps.get(roots[0].children[0])!;
  assert.deepEqual([call.name, call.status, call.error?.message, formatDuration(call.start, call.end)], ['Call', 'Failed', 'boom', '1.5 s']);
  assert.equal(r.steps.get('go')!.status, 'Cancelled', 'a cancelled run\'s open states are cancelled with it');
  assert.deepEqual([r.status, r.events, r.pipelineRunIds, r.executionArns], ['Cancelled', 5, ['run1'], ['arn:x:execution:M:c1']]);
  start('c2');
  assert.deepEqual(runs.list().map((x) => x.correlationId), ['c2', 'c1']);
  assert.deepEqual(runs.ofLink(CONFIG, 'first').length, 2);
  assert.equal(RunsModel.sideStatus(r, 'adf'), 'Cancelled', 'the pipeline run, still open when the run was cancelled');
});

test('run arguments: what the spec allows passes; anything else is refused naming the field', () => {
  assert.deepEqual(parseRunArguments({ config: CONFIG, link: 'first', target: 'cloud', confirm: true, payload: { a: 1 } }), { config: CONFIG, link: 'first', target: 'cloud', confirm: true, payload: { value: { a: 1 } } });
  assert.deepEqual(parseRunArguments({ config: 'file:///ws/a.bridge.jsonc', link: 'first' }).config, path.normalize('/ws/a.bridge.jsonc'));
  assert.deepEqual(resolvePayloadFile(parseRunArguments({ link: 'x', payload: 'p.json' }).payload, CONFIG), { file: path.join(ROOT, 'p.json') });
  const bad: [Record<string, unknown>, RegExp][] = [
    [{}, /"link" must be the name of a link .* not missing/],
    [{ link: 'x', target: 'prod' }, /"target" must be "sandbox" or "cloud", not "prod"/],
    [{ link: 'x', confirm: 'yes' }, /"confirm" must be true or false/],
    [{ link: 'x', config: 'rel/a.bridge.jsonc' }, /absolute path or a file URI/],
    [{ link: 'x', config: 'https://example.com/a.bridge.jsonc' }, /not a file URI/],
    [{ link: 'x', colour: 1 }, /unknown field "colour"/],
  ];
  for (const [arg, message] of bad) assert.throws(() => parseRunArguments(arg), (e: Error) => e instanceof RunArgumentError && message.test(e.message));
});

test('links model: the first level is listed from the outline before the full model, which follows on its own', async () => {
  const { m } = model({ [CONFIG]: CONFIG_TEXT });
  let listedAt = -1;
  let loadedAt = -1;
  let order = 0;
  const listed = m.whenListed().then(() => (listedAt = order++));
  const loaded = m.whenLoaded().then(() => (loadedAt = order++));
  m.setConfigs([CONFIG]);
  await listed;
  assert.ok(listedAt >= 0 && loadedAt === -1, 'listed before the full model is read');
  const [config] = m.roots();
  assert.equal(config.kind === 'config' && config.linkCount, 2);
  const outlined = m.children(config);
  assert.deepEqual(outlined.map((l) => l.kind === 'link' && [l.link.name, l.reading, l.location.range?.start.line]), [['first', true, 5], ['second', true, 8]]);
  // Until the full model: no ends (a placeholder), and the consumers of links() see none.
  assert.deepEqual(m.children(outlined[0]).map((n) => n.kind), ['placeholder']);
  assert.deepEqual(m.links(), []);
  assert.equal(m.config(CONFIG), undefined);
  await loaded;
  const full = m.children(m.roots()[0]);
  assert.deepEqual(full.map((l) => l.kind === 'link' && [l.link.name, l.reading, l.protected]), [['first', undefined, true], ['second', undefined, false]]);
  assert.deepEqual(m.links().map((x) => x.link.name), ['first', 'second']);
});
