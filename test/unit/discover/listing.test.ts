/**
 * Discovery's listing with the real SDK clients against the sandbox: pages of state machines and
 * pipelines, then what no link names.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createClientsForConfig } from '../../../src/cloud/clients';
import { listPipelinesPage, listStateMachinesPage } from '../../../src/cloud/discover';
import { readBridgeConfig } from '../../../src/core/config/model';
import { discoverySources, unlinkedPipelines, type FactorySource } from '../../../src/core/discover/model';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/index';

const SAMPLES = path.resolve(__dirname, '../../../../samples');

describe('discovery listing against the sandbox', () => {
  let workspace: string;
  let sandbox: RunningSandbox;
  before(async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-discover-'));
    fs.cpSync(SAMPLES, workspace, { recursive: true });
    // A pipeline of the factory that no link names.
    fs.writeFileSync(path.join(workspace, 'adf', 'pipeline', 'ArchiveOrders.json'), JSON.stringify({ name: 'ArchiveOrders', properties: { activities: [] } }));
    sandbox = await startSandbox({ paths: [workspace] });
  });
  after(async () => {
    await sandbox?.close();
  });

  it('pages through the region\'s state machines', async () => {
    const config = readBridgeConfig(path.join(workspace, 'analytics.bridge.jsonc'), fs.readFileSync(path.join(workspace, 'analytics.bridge.jsonc'), 'utf8'));
    const { sfn } = createClientsForConfig(config, { sandbox: { stepFunctions: sandbox.stepFunctions, dataFactory: sandbox.dataFactory, caPem: sandbox.caPem } });
    const first = await listStateMachinesPage(sfn, undefined, { pageSize: 2 });
    assert.equal(first.items.length, 2);
    assert.ok(first.next, 'a second page');
    const second = await listStateMachinesPage(sfn, first.next, { pageSize: 2 });
    assert.equal(second.items.length, 1);
    assert.equal(second.next, undefined);
    assert.deepEqual([...first.items, ...second.items].map((m) => m.name).sort(), ['LandingCsv', 'Retrain', 'StartIngest']);
  });

  it('lists the factory\'s pipelines and keeps those no link names', async () => {
    const config = readBridgeConfig(path.join(workspace, 'analytics.bridge.jsonc'), fs.readFileSync(path.join(workspace, 'analytics.bridge.jsonc'), 'utf8'));
    const clients = createClientsForConfig(config, { sandbox: { stepFunctions: sandbox.stepFunctions, dataFactory: sandbox.dataFactory, caPem: sandbox.caPem } });
    const page = await listPipelinesPage(clients.adf, clients.resourceGroup, clients.factoryName);
    assert.deepEqual(page.items.sort(), ['ArchiveOrders', 'IngestLanding', 'RetrainModel']);
    const [factory] = discoverySources([config]) as [FactorySource];
    assert.deepEqual(unlinkedPipelines(factory, [config], page.items).map((p) => p.name), ['ArchiveOrders']);
  });
});
