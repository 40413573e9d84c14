/**
 * `bridge status` against the sandbox: every end found and in sync, then the drift of a state
 * machine whose local definition changed after the sandbox loaded it (the deployed one is what
 * was loaded), permissions denied by the sandbox's deny fault named as IAM actions and Azure
 * roles, and the last run of each end.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/index';
import { assertNoCrash, bridge, SAMPLES } from '../cli/support';

function copySamples(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-status-'));
  fs.cpSync(SAMPLES, dir, { recursive: true });
  return dir;
}

function firstLine(s: RunningSandbox): string {
  return JSON.stringify({ stepFunctions: s.stepFunctions, dataFactory: s.dataFactory, caCertificate: s.caCertificate });
}

interface StatusJson {
  links: { config: string; link: string; ends: { kind: string; name: string; state: string; status?: string; type?: string; message?: string; lastRun?: { id: string; status: string }; differences?: { path: string; change: string }[]; diff?: string; runsOtherThanBranch?: boolean }[] }[];
  exitCode: number;
}

const env = { AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

describe('bridge status against the sandbox', () => {
  let workspace: string;
  let sandbox: RunningSandbox;

  before(async () => {
    workspace = copySamples();
    sandbox = await startSandbox({ paths: [workspace] });
  });
  after(async () => {
    await sandbox?.close();
  });

  it('--sandbox: every end of the samples is found and in sync (exit 0)', async () => {
    const run = await bridge(['status', '--sandbox', SAMPLES], { env });
    assertNoCrash(run);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /All 5 ends found and in sync\./);
    assert.match(run.stdout, /✔ state machine Retrain: ACTIVE STANDARD, in sync/);
    assert.match(run.stdout, /✔ pipeline IngestLanding: published, in sync/);
  });

  it('formatting and key order do not count as drift', async () => {
    const file = path.join(workspace, 'statemachines', 'landing-csv.asl.json');
    const original = fs.readFileSync(file, 'utf8');
    const reordered = Object.fromEntries(Object.entries(JSON.parse(original)).reverse());
    fs.writeFileSync(file, JSON.stringify(reordered));
    try {
      const run = await bridge(['status', '--link', 'landing-csv', '--sandbox-endpoints', firstLine(sandbox), workspace], { env });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /LandingCsv: ACTIVE STANDARD, in sync/);
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  it('after a local ASL edit, the running sandbox\'s machine drifts: named, with its differences and a diff (exit 1)', async () => {
    const file = path.join(workspace, 'statemachines', 'retrain.asl.json');
    const original = fs.readFileSync(file, 'utf8');
    const asl = JSON.parse(original);
    asl.TimeoutSeconds = 900;
    fs.writeFileSync(file, JSON.stringify(asl, null, 2));
    try {
      const text = await bridge(['status', '--sandbox-endpoints', firstLine(sandbox), workspace], { env });
      assertNoCrash(text);
      assert.equal(text.code, 1, text.stdout + text.stderr);
      assert.match(text.stdout, /✘ state machine Retrain: ACTIVE STANDARD, DRIFT: 1 difference from .*retrain\.asl\.json/);
      assert.match(text.stdout, /\$\.TimeoutSeconds: only in the local file \(900\)/);
      assert.match(text.stdout, /^\s+\+\s+"TimeoutSeconds": 900$/m, 'the unified diff shows the added line');
      assert.match(text.stdout, /✔ state machine StartIngest: ACTIVE STANDARD, in sync/, 'the other machines stay in sync');
      assert.match(text.stdout, /1 of 5 ends need attention/);

      const json = await bridge(['status', '--format', 'json', '--sandbox-endpoints', firstLine(sandbox), workspace], { env });
      assert.equal(json.code, 1);
      const doc = JSON.parse(json.stdout) as StatusJson;
      const retrain = doc.links.find((l) => l.link === 'nightly-retrain')!.ends.find((e) => e.kind === 'stateMachine')!;
      assert.equal(retrain.state, 'drift');
      assert.deepEqual(retrain.differences, [{ path: '$.TimeoutSeconds', change: 'added locally', local: 900 }]);
      assert.match(retrain.diff!, /^\+\s+"TimeoutSeconds": 900$/m);
      assert.equal(doc.exitCode, 1);
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  it('finds the local pipeline by the repo reader\'s rule: pipeline/ingestlanding.json is pipeline IngestLanding (ADF names ignore case)', async () => {
    const file = path.join(workspace, 'adf', 'pipeline', 'IngestLanding.json');
    const lower = path.join(workspace, 'adf', 'pipeline', 'ingestlanding.json');
    fs.renameSync(file, lower);
    try {
      const json = await bridge(['status', '--format', 'json', '--sandbox-endpoints', firstLine(sandbox), workspace], { env });
      const end = (JSON.parse(json.stdout) as StatusJson).links.flatMap((l) => l.ends).find((e) => e.kind === 'pipeline' && e.name === 'IngestLanding');
      assert.equal(end?.state, 'in-sync', JSON.stringify(end));
      assert.equal((end as { localFile?: string }).localFile, lower);
    } finally {
      fs.renameSync(lower, file);
    }
  });

  it('shows the last run of each end', async () => {
    const { executionArn } = await sandbox.sfn.startExecution({ stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:LandingCsv', name: 'status-last-run', input: '{}' });
    const json = await bridge(['status', '--format', 'json', '--link', 'landing-csv', '--sandbox-endpoints', firstLine(sandbox), workspace], { env });
    const end = (JSON.parse(json.stdout) as StatusJson).links[0].ends[0];
    assert.equal(end.lastRun?.id, executionArn);
  });

  it('a state machine the account does not have is reported missing (exit 1)', async () => {
    const dir = copySamples();
    const config = path.join(dir, 'analytics.bridge.jsonc');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('stateMachine:LandingCsv', 'stateMachine:LandingCsvV2'));
    const run = await bridge(['status', '--link', 'landing-csv', '--sandbox-endpoints', firstLine(sandbox), dir], { env });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /✘ state machine LandingCsvV2: State machine LandingCsvV2 is not deployed in eu-west-1 \(account 123456789012\): deploy it, or fix stateMachine\.arn\./);
  });

  it('usage mistakes exit 2 with one line', async () => {
    const both = await bridge(['status', '--sandbox', '--sandbox-endpoints', firstLine(sandbox), workspace], { env });
    assert.equal(both.code, 2);
    assert.match(both.stderr, /not both/);
    const bad = await bridge(['status', '--sandbox-endpoints', '{"stepFunctions": 1}', workspace], { env });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--sandbox-endpoints needs "stepFunctions"/);
    const format = await bridge(['status', '--format', 'xml', workspace], { env });
    assert.equal(format.code, 2);
  });
});

describe('bridge status with permissions denied', () => {
  let workspace: string;
  let sandbox: RunningSandbox;

  before(async () => {
    workspace = copySamples();
    sandbox = await startSandbox({
      paths: [workspace],
      faults: 'deny=states:DescribeStateMachine,deny=states:ListExecutions,deny=Microsoft.DataFactory/factories/pipelines/read',
    });
  });
  after(async () => {
    await sandbox?.close();
  });

  it('names the IAM action and the Azure role that are missing, one line each (exit 1)', async () => {
    const run = await bridge(['status', '--link', 'nightly-retrain', '--sandbox-endpoints', firstLine(sandbox), workspace], { env });
    assertNoCrash(run);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /✘ state machine Retrain: AWS refused states:DescribeStateMachine on arn:aws:states:eu-west-1:123456789012:stateMachine:Retrain .*ask for states:DescribeStateMachine/);
    assert.match(run.stdout, /✘ pipeline RetrainModel: Azure refused Microsoft\.DataFactory\/factories\/pipelines\/read on factory adf-analytics-dev: ask for the Reader \(or Data Factory Contributor\) role/);
    assert.doesNotMatch(run.stdout + run.stderr, /AccessDeniedException:|RestError/, 'no raw service errors');
  });
});
