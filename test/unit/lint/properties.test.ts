/**
 * Property-based tests: whatever the text of a config (or of a file it points at), lint never
 * throws, and every range lies inside its document (line < number of lines, character <= that
 * line's length, start <= end).
 */
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseTree, type Node } from 'jsonc-parser';
import { lintConfigs } from '../../../src/core/lint/engine';
import { memoryHost, nodeFileHost, overlayHost } from '../../../src/core/node-host';
import { CONFIG, baseFiles, assertRangesInside, BASE_CONFIG } from './support';

const SAMPLES = path.resolve(__dirname, '../../../../samples');
const SAMPLE_CONFIG = path.join(SAMPLES, 'analytics.bridge.jsonc');
const SAMPLE_TEXT = fs.readFileSync(SAMPLE_CONFIG, 'utf8');

const diskText = new Map<string, string | undefined>();
function textOnDisk(file: string): string | undefined {
  if (!diskText.has(file)) diskText.set(file, fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined);
  return diskText.get(file);
}

/** Lints `configText` as the config of the in-memory workspace; checks every range. */
async function lintConfigText(configText: string): Promise<void> {
  const files = baseFiles();
  files.set(CONFIG, configText);
  const result = await lintConfigs([CONFIG], memoryHost(files));
  assertRangesInside(result, (f) => files.get(f));
}

/** Lints the sample workspace with some files replaced; checks every range. */
async function lintSamples(replaced: Map<string, string>): Promise<void> {
  const result = await lintConfigs([SAMPLE_CONFIG], overlayHost(nodeFileHost, replaced));
  assertRangesInside(result, (f) => replaced.get(f) ?? textOnDisk(f));
}

// A failure prints its seed: FC_SEED=<seed> npm run test:unit replays it.
const RUNS = { numRuns: 150, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}) };

test('arbitrary JSON values as a config', async () => {
  await fc.assert(fc.asyncProperty(fc.json({ maxDepth: 6 }), (text) => lintConfigText(text)), RUNS);
});

test('arbitrary strings as a config (unicode, control characters, lone surrogates)', async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 400 }), fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ maxLength: 400 })), (text) => lintConfigText(text)),
    RUNS,
  );
});

test('strings made of JSON punctuation and keywords of the format', async () => {
  const token = fc.constantFrom('{', '}', '[', ']', ':', ',', '"', '\\', '\n', '\r\n', '//', '/*', '*/', ' ', '1', '-', 'true', 'null', '"version"', '"links"', '"trigger"', '"adf-to-sfn"', '"azure"', '"aws"', '"arn:aws:states:eu-west-1:123456789012:stateMachine:X"');
  await fc.assert(fc.asyncProperty(fc.array(token, { maxLength: 120 }).map((t) => t.join('')), (text) => lintConfigText(text)), RUNS);
});

test('wrong types everywhere: every known key of the base config holds an arbitrary JSON value', async () => {
  const keys = [...new Set([...BASE_CONFIG.matchAll(/"([A-Za-z-]+)":/g)].map((m) => m[1]))];
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 3 }), async (key, value) => {
      // Replace the value of every occurrence of the key: a whole-config type confusion.
      const text = replaceValues(BASE_CONFIG, key, JSON.stringify(value));
      await lintConfigText(text);
    }),
    RUNS,
  );
});

/** Every property node of the sample config (at any depth), with its value. */
function properties(text: string): Node[] {
  const out: Node[] = [];
  const walk = (n: Node | undefined) => {
    if (!n) return;
    if (n.type === 'property') out.push(n);
    for (const c of n.children ?? []) walk(c);
  };
  walk(parseTree(text));
  return out;
}

function replaceValues(text: string, key: string, replacement: string): string {
  const props = properties(text).filter((p) => p.children?.[0]?.value === key && p.children[1]);
  let out = text;
  for (const p of props.sort((a, b) => b.offset - a.offset)) {
    const v = p.children![1];
    out = out.slice(0, v.offset) + replacement + out.slice(v.offset + v.length);
  }
  return out;
}

const SAMPLE_PROPS = properties(SAMPLE_TEXT);

type Mutation =
  | { kind: 'delete'; prop: number }
  | { kind: 'retype'; prop: number; value: unknown }
  | { kind: 'insert'; at: number; chars: string }
  | { kind: 'duplicate'; prop: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), prop: fc.nat({ max: SAMPLE_PROPS.length - 1 }) }),
  fc.record({ kind: fc.constant('retype' as const), prop: fc.nat({ max: SAMPLE_PROPS.length - 1 }), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat({ max: SAMPLE_TEXT.length }), chars: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), prop: fc.nat({ max: SAMPLE_PROPS.length - 1 }) }),
);

function apply(text: string, m: Mutation): string {
  if (m.kind === 'insert') return text.slice(0, m.at) + m.chars + text.slice(m.at);
  const prop = properties(text)[m.prop];
  if (!prop) return text;
  const end = prop.offset + prop.length;
  switch (m.kind) {
    case 'delete':
      return text.slice(0, prop.offset) + text.slice(text[end] === ',' ? end + 1 : end);
    case 'retype': {
      const v = prop.children?.[1];
      return v ? text.slice(0, v.offset) + JSON.stringify(m.value) + text.slice(v.offset + v.length) : text;
    }
    case 'duplicate':
      return text.slice(0, end) + ', ' + text.slice(prop.offset, end) + text.slice(end);
  }
}

test('the sample config after one to three mutations (delete a key, change a type, insert characters, duplicate a key)', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
      const text = mutations.reduce(apply, SAMPLE_TEXT);
      await lintSamples(new Map([[SAMPLE_CONFIG, text]]));
    }),
    RUNS,
  );
});

test('a referenced sample file (pipeline, ASL, payload, mocks) with random characters inserted', async () => {
  const referenced = [
    path.join(SAMPLES, 'adf', 'pipeline', 'RetrainModel.json'),
    path.join(SAMPLES, 'statemachines', 'retrain.asl.json'),
    path.join(SAMPLES, 'payloads', 'retrain-small.json'),
    path.join(SAMPLES, 'mocks', 'retrain.mock.json'),
    path.join(SAMPLES, 'adf', 'factory', 'adf-analytics-dev.json'),
  ];
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...referenced), fc.double({ min: 0, max: 1, noNaN: true }), fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }), async (file, where, chars) => {
      const text = textOnDisk(file)!;
      const at = Math.floor(where * text.length);
      await lintSamples(new Map([[file, text.slice(0, at) + chars + text.slice(at)]]));
    }),
    { numRuns: 100 },
  );
});
