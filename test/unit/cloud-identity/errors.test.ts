/**
 * Cloud errors in the user's terms: real SDK clients against a sandbox that denies actions
 * (`--faults deny=…`) or throttles, injected Azure credentials that fail, and `bridge run` against
 * the cloud with profiles that cannot give credentials (exit 2, one line naming the profile).
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GetExecutionHistoryCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { TokenCredential } from '@azure/core-auth';
import { createDataFactoryClient, createStepFunctionsClient } from '../../../src/cloud/clients';
import { checkCloudSignIn } from '../../../src/cloud/identity';
import { azureCredential } from '../../../src/cloud/identity/azure';
import { CloudIdentityError, describeCloudError } from '../../../src/cloud/identity/errors';
import { readBridgeConfig } from '../../../src/core/config/model';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/index';
import { assertNoCrash, bridge, ROOT, SAMPLES } from '../cli/support';

const RETRAIN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Retrain';
const SUBSCRIPTION = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
const TENANT = '7f3c7e4e-1b0a-4c8e-9d3e-2a1b5c6d7e8f';

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  return assert.fail('the call should have failed');
}

describe('describeCloudError with the real SDK clients', () => {
  let denying: RunningSandbox;
  let throttling: RunningSandbox;
  before(async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    denying = await startSandbox({ paths: [SAMPLES], faults: 'deny=states:StartExecution,deny=states:GetExecutionHistory,deny=Microsoft.DataFactory/factories/pipelines/createrun/action' });
    throttling = await startSandbox({ paths: [SAMPLES], faults: 'throttle=1' });
  });
  after(async () => {
    await Promise.all([denying?.close(), throttling?.close()]);
  });
  const endpoints = (s: RunningSandbox) => ({ stepFunctions: s.stepFunctions, dataFactory: s.dataFactory, caPem: s.caPem });

  it('a denied StartExecution names states:StartExecution and the profile', async () => {
    const sfn = createStepFunctionsClient({ region: 'eu-west-1', sandbox: endpoints(denying) });
    const e = await caught(sfn.send(new StartExecutionCommand({ stateMachineArn: RETRAIN, input: '{}' })));
    const d = describeCloudError(e, { profile: 'analytics-dev', resource: RETRAIN });
    assert.equal(d.kind, 'access-denied');
    assert.match(d.line, /^AWS refused states:StartExecution on arn:aws:states:eu-west-1:123456789012:stateMachine:Retrain/);
    assert.match(d.line, /ask for states:StartExecution in the IAM policy of profile "analytics-dev"'s role/);
    assert.match(d.detail, /AccessDeniedException/, 'the raw error goes to the log');
  });

  it('the operation is known from the client even when the caller does not say it', async () => {
    const sfn = createStepFunctionsClient({ region: 'eu-west-1', sandbox: endpoints(denying) });
    const e = await caught(sfn.send(new GetExecutionHistoryCommand({ executionArn: `${RETRAIN.replace('stateMachine', 'execution')}:x` })));
    assert.equal((e as { $bridgeOperation?: string }).$bridgeOperation, 'GetExecutionHistoryCommand');
    // The message names the action too; the tag is what a bare 403 would fall back on.
    const bare = describeCloudError({ name: 'AccessDeniedException', message: 'denied', $metadata: { httpStatusCode: 400 }, $bridgeOperation: 'GetExecutionHistoryCommand' });
    assert.match(bare.line, /states:GetExecutionHistory/);
    assert.match(describeCloudError(e).line, /states:GetExecutionHistory/);
  });

  it('a denied createRun names the Data Factory Contributor role', async () => {
    const adf = createDataFactoryClient({ subscriptionId: SUBSCRIPTION, cloud: 'AzureCloud', sandbox: endpoints(denying) });
    const e = await caught(adf.pipelines.createRun('rg-analytics', 'adf-analytics-dev', 'RetrainModel', { parameters: {} }));
    const d = describeCloudError(e, { factory: 'adf-analytics-dev' });
    assert.equal(d.kind, 'access-denied');
    assert.match(d.line, /Azure refused Microsoft\.DataFactory\/factories\/pipelines\/createrun\/action on factory adf-analytics-dev: ask for the Data Factory Contributor role/);
  });

  it('throttling that outlasts the retries says to wait and run fewer at once', async () => {
    const sfn = createStepFunctionsClient({ region: 'eu-west-1', sandbox: endpoints(throttling), maxAttempts: 1 });
    const d = describeCloudError(await caught(sfn.send(new StartExecutionCommand({ stateMachineArn: RETRAIN }))));
    assert.equal(d.kind, 'throttled');
    assert.match(d.line, /AWS throttled StartExecution/);
    const adf = createDataFactoryClient({ subscriptionId: SUBSCRIPTION, cloud: 'AzureCloud', sandbox: endpoints(throttling) });
    // Retry-After is honoured by the client: bound the wait with an abort, then describe what came back.
    const e = await caught(adf.pipelines.get('rg-analytics', 'adf-analytics-dev', 'RetrainModel', { abortSignal: AbortSignal.timeout(20_000), retryOptions: { maxRetries: 0 } } as never));
    const az = describeCloudError(e, { cloud: 'azure' });
    assert.ok(az.kind === 'throttled', `${az.kind}: ${az.line}`);
  });

  it('ARM errors for another tenant or subscription say which setting to check', () => {
    const tenant = describeCloudError({ name: 'RestError', statusCode: 401, code: 'InvalidAuthenticationTokenTenant', message: "The access token is from the wrong issuer 'https://sts.windows.net/x/'." }, { cloud: 'azure', tenantId: TENANT, subscriptionId: SUBSCRIPTION });
    assert.equal(tenant.kind, 'wrong-tenant');
    assert.match(tenant.line, /check azure\.tenantId \(7f3c7e4e/);
    const sub = describeCloudError({ name: 'RestError', statusCode: 404, code: 'SubscriptionNotFound', message: "The subscription '…' could not be found." }, { cloud: 'azure', tenantId: TENANT, subscriptionId: SUBSCRIPTION });
    assert.equal(sub.kind, 'wrong-subscription');
    assert.match(sub.line, /check azure\.subscriptionId and azure\.tenantId/);
  });

  it('a raw SDK credential error (a client built elsewhere) still names the profile and what to run', () => {
    const d = describeCloudError(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), { profile: 'analytics-dev' });
    assert.equal(d.kind, 'no-credentials');
    assert.match(d.line, /^AWS profile "analytics-dev" gave no credentials: run `aws sso login --profile analytics-dev`/);
    assert.match(d.detail, /Could not load credentials/);
  });

  it('values that look like secrets never reach the line', () => {
    const jwt = ['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiJ4In0', 'c2lnbmF0dXJlLXNpZ25hdHVyZQ'].join('.');
    const d = describeCloudError(new Error(`token ${jwt} rejected`));
    assert.doesNotMatch(d.line + d.detail, new RegExp(jwt.replace(/\./g, '\\.')));
  });
});

describe('Azure sign-in', () => {
  it('an injected credential that cannot sign in says what to run for the tenant', async () => {
    const failing: TokenCredential = {
      async getToken() {
        const e = new Error('Azure CLI could not be found. Please visit https://aka.ms/azure-cli for installation instructions.');
        e.name = 'CredentialUnavailableError';
        throw e;
      },
    };
    const e = await caught(azureCredential({ tenantId: TENANT, cloud: 'AzureUSGovernment', injected: failing }).getToken('https://management.usgovcloudapi.net/.default'));
    assert.ok(e instanceof CloudIdentityError);
    assert.match(e.line, /No Azure sign-in for tenant 7f3c7e4e-1b0a-4c8e-9d3e-2a1b5c6d7e8f: run `az login --tenant 7f3c7e4e-1b0a-4c8e-9d3e-2a1b5c6d7e8f` \(first `az cloud set --name AzureUSGovernment`\)/);
    assert.match(e.detail, /Azure CLI could not be found/);
  });

  it('an expired sign-in says to sign in again', async () => {
    const expired: TokenCredential = {
      async getToken() {
        throw new Error('AADSTS700082: The refresh token has expired due to inactivity.');
      },
    };
    const e = await caught(azureCredential({ tenantId: TENANT, cloud: 'AzureCloud', injected: expired }).getToken('https://management.azure.com/.default'));
    assert.ok(e instanceof CloudIdentityError);
    assert.equal(e.kind, 'expired-session');
  });

  it('checkCloudSignIn asks each profile and tenant once, AWS first, with injected credentials', async () => {
    const config = readBridgeConfig(path.join(SAMPLES, 'analytics.bridge.jsonc'), fs.readFileSync(path.join(SAMPLES, 'analytics.bridge.jsonc'), 'utf8'));
    const scopes: string[] = [];
    let awsCalls = 0;
    const ok = await checkCloudSignIn([config], {
      awsCredentials: async () => {
        awsCalls++;
        return { accessKeyId: 'injected', secretAccessKey: 'injected' };
      },
      azureCredential: {
        async getToken(s) {
          scopes.push(...[s].flat());
          return { token: 'injected', expiresOnTimestamp: Date.now() + 60_000 };
        },
      },
    });
    assert.equal(ok, undefined);
    assert.equal(awsCalls, 1);
    assert.deepEqual(scopes, ['https://management.azure.com/.default']);
  });
});

describe('bridge run against the cloud with profiles that cannot give credentials', () => {
  let dir: string;
  let workspace: string;
  const env = () => ({
    HOME: dir,
    AWS_CONFIG_FILE: path.join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    PATH: process.env.PATH,
  });

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-run-cred-'));
    workspace = path.join(dir, 'ws');
    fs.cpSync(SAMPLES, workspace, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'config'),
      '[profile analytics-sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n\n[profile analytics-broken]\ncredential_process = /bin/false\n\n[profile analytics-empty]\nregion = eu-west-1\n',
    );
    fs.writeFileSync(path.join(dir, 'credentials'), '');
  });

  function withProfile(profile: string): void {
    const config = path.join(workspace, 'analytics.bridge.jsonc');
    const text = fs.readFileSync(config, 'utf8').replace(/"partition": "aws"(, "profile": "[^"]*")?/, `"partition": "aws", "profile": "${profile}"`);
    fs.writeFileSync(config, text);
  }

  const cases: [string, RegExp][] = [
    ['analytics-sso', /^bridge run: The AWS SSO session of profile "analytics-sso" has expired or was never started: run `aws sso login --profile analytics-sso`\.$/],
    ['analytics-broken', /^bridge run: The credential_process of AWS profile "analytics-broken" gave no credentials/],
    ['analytics-empty', /^bridge run: AWS profile "analytics-empty" has no way to get credentials.*aws configure sso --profile analytics-empty/],
    ['analytics-missing', /^bridge run: AWS profile "analytics-missing" is not in .*aws configure sso --profile analytics-missing/],
  ];
  for (const [profile, expected] of cases) {
    it(`profile ${profile}: exit 2, one line naming it and what to run`, async () => {
      withProfile(profile);
      const run = await bridge(['run', '--link', 'ingest-landing', workspace], { env: env() });
      assertNoCrash(run);
      assert.equal(run.code, 2, run.stdout + run.stderr);
      assert.equal(run.stdout, '', 'nothing started');
      const lines = run.stderr.trim().split('\n');
      assert.equal(lines.length, 1, run.stderr);
      assert.match(lines[0], expected);
    });
  }

  it('the packaged command does the same in a process of its own', async () => {
    withProfile('analytics-sso');
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'bridge.js'), 'run', workspace], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 2, stderr);
    assert.equal(stdout, '');
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, /profile "analytics-sso".*`aws sso login --profile analytics-sso`/);
  });
});
