/**
 * Discovery's core: which resources no link names, and "Link…"'s edit, which keeps every comment
 * of the config and yields a link the usual validation then asks the missing keys of.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { readBridgeConfig } from '../../../src/core/config/model';
import { addLinkEdits, linkNameFor } from '../../../src/core/discover/link-edit';
import { discoverySources, unlinkedPipelines, unlinkedStateMachines, type FactorySource, type RegionSource } from '../../../src/core/discover/model';
import { lintConfigs } from '../../../src/core/lint/engine';
import { nodeFileHost } from '../../../src/core/node-host';

const SAMPLES = path.resolve(__dirname, '../../../../samples');
const SAMPLE_CONFIG = path.join(SAMPLES, 'analytics.bridge.jsonc');
const sampleText = fs.readFileSync(SAMPLE_CONFIG, 'utf8');
const FORMAT = { insertSpaces: true, tabSize: 2, eol: '\n' };

describe('discovery', () => {
  const config = readBridgeConfig(SAMPLE_CONFIG, sampleText);

  it('lists each factory and region the configs point at once', () => {
    const sources = discoverySources([config, { ...config, path: '/other.bridge.jsonc' }]);
    assert.deepEqual(sources.map((s) => s.kind), ['factory', 'region']);
    const factory = sources[0] as FactorySource;
    assert.equal(factory.factory, 'adf-analytics-dev');
    assert.deepEqual(factory.configs, [SAMPLE_CONFIG, '/other.bridge.jsonc']);
    assert.equal((sources[1] as RegionSource).region, 'eu-west-1');
  });

  it('keeps only pipelines and state machines no link names (pipeline names case-insensitively)', () => {
    const [factory, region] = discoverySources([config]) as [FactorySource, RegionSource];
    assert.deepEqual(unlinkedPipelines(factory, [config], ['RetrainModel', 'ingestlanding', 'ExportDaily']).map((p) => p.name), ['ExportDaily']);
    const arn = (n: string) => `arn:aws:states:eu-west-1:123456789012:stateMachine:${n}`;
    const machines = unlinkedStateMachines(region, [config], [{ arn: arn('Retrain'), name: 'Retrain' }, { arn: arn('Nightly'), name: 'Nightly', type: 'STANDARD' }]);
    assert.deepEqual(machines.map((m) => m.arn), [arn('Nightly')]);
  });

  it('names a new link after the resource, unique in the config', () => {
    assert.equal(linkNameFor('ExportDaily', []), 'export-daily');
    assert.equal(linkNameFor('ExportDaily', ['export-daily', 'export-daily-2']), 'export-daily-3');
    assert.equal(linkNameFor('my_SM.v2', []), 'my-sm-v2');
  });

  it('"Link…" adds a skeleton, keeps every comment, and the result validates as usual', async () => {
    const [factory] = discoverySources([config]) as [FactorySource];
    const result = addLinkEdits(sampleText, { kind: 'pipeline', name: 'ExportDaily', source: factory }, 'sfn-to-adf', FORMAT)!;
    assert.equal(result.name, 'export-daily');
    const comments = (t: string) => t.match(/\/\/.*$/gm) ?? [];
    assert.deepEqual(comments(result.text), comments(sampleText), 'every comment survives, in order');
    assert.ok(result.text.startsWith(sampleText.slice(0, sampleText.indexOf('"landing-csv"'))), 'the text before the new link is untouched');
    const model = readBridgeConfig(SAMPLE_CONFIG, result.text);
    const link = model.links.find((l) => l.name === 'export-daily')!;
    assert.equal(link.trigger, 'sfn-to-adf');
    assert.equal(link.adf?.pipeline, 'ExportDaily');

    // Lint the edited config as it would be saved: the new link asks for its missing keys, nothing else breaks.
    const host = { ...nodeFileHost, readFile: async (p: string) => (p === SAMPLE_CONFIG ? result.text : nodeFileHost.readFile(p)) };
    const lint = await lintConfigs([SAMPLE_CONFIG], host);
    const diagnostics = lint.diagnostics.get(SAMPLE_CONFIG) ?? [];
    assert.ok(!diagnostics.some((d) => d.code === 'json-syntax'), 'still valid JSONC');
    const missing = diagnostics.filter((d) => d.code === 'missing-property').map((d) => d.message);
    assert.ok(missing.some((m) => /arn/.test(m)), `asks for stateMachine.arn: ${missing.join(' | ')}`);
    assert.ok(missing.some((m) => /awsRoleArn/.test(m)), `asks for identity.awsRoleArn: ${missing.join(' | ')}`);
  });

  it('a state machine linked for S3 gets no adf or gateway block (not allowed for s3-to-sfn)', () => {
    const [, region] = discoverySources([config]) as [FactorySource, RegionSource];
    const arn = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Nightly';
    const result = addLinkEdits(sampleText, { kind: 'stateMachine', arn, name: 'Nightly', source: region }, 's3-to-sfn', FORMAT)!;
    const link = readBridgeConfig(SAMPLE_CONFIG, result.text).links.find((l) => l.name === 'nightly')!;
    assert.equal(link.stateMachine?.arn, arn);
    assert.equal(link.adf, undefined);
    assert.equal(link.gateway, undefined);
  });

  it('a config without links gets a links block; a broken config is left alone', () => {
    const [factory] = discoverySources([config]) as [FactorySource];
    const text = '// mine\n{\n  "version": 1 // the format\n}\n';
    const result = addLinkEdits(text, { kind: 'pipeline', name: 'P', source: factory }, 'adf-to-sfn', FORMAT)!;
    assert.match(result.text, /\/\/ mine/);
    assert.match(result.text, /\/\/ the format/);
    assert.deepEqual(JSON.parse(result.text.replace(/\/\/.*$/gm, '')).links, { p: { trigger: 'adf-to-sfn', adf: { pipeline: 'P' }, stateMachine: {}, gateway: {}, identity: {} } });
    assert.equal(addLinkEdits('[1, 2]', { kind: 'pipeline', name: 'P', source: factory }, 'adf-to-sfn', FORMAT), undefined);
  });
});
