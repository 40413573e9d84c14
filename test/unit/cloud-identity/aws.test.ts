/**
 * AWS sign-in through the SDK's own providers, with shared config files made for each test in a
 * temporary HOME: profiles listed, SSO without a session, a credential_process script written at
 * run time, a role chain (with MFA) whose STS calls go to the sandbox's emulated STS, and the one
 * line a user sees when a profile gives nothing. Nothing leaves the machine: instance metadata is
 * off and STS is the sandbox's.
 */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkAwsCredentials, listAwsProfiles, type Env } from '../../../src/cloud/identity/aws';
import { CloudIdentityError } from '../../../src/cloud/identity/errors';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/index';

const SAMPLES = path.resolve(__dirname, '../../../../samples');

/** Made at run time: no credential-looking value is committed. */
function fakeKeys() {
  return { id: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`, secret: randomBytes(30).toString('base64url') };
}

interface AwsHome {
  dir: string;
  env: Env;
}

function awsHome(config: string, credentials = ''): AwsHome {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-aws-'));
  fs.writeFileSync(path.join(dir, 'config'), config);
  fs.writeFileSync(path.join(dir, 'credentials'), credentials);
  const env = { HOME: dir, AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'), AWS_EC2_METADATA_DISABLED: 'true' };
  // The SDK's inner providers (SSO, STS) read the file locations from the process environment too.
  Object.assign(process.env, env);
  return { dir, env };
}

async function signInError(promise: Promise<unknown>): Promise<CloudIdentityError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof CloudIdentityError, `expected a CloudIdentityError, got ${String(e)}`);
    assert.doesNotMatch(e.line, /\n/, 'one line');
    assert.doesNotMatch(e.line, /CredentialsProviderError|at .+:\d+:\d+/, 'no chain dump or stack in the line');
    return e;
  }
  assert.fail('signing in should have failed');
}

const SSO_CONFIG = `[profile analytics-dev]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Developer
region = eu-central-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1

[profile empty]
region = eu-west-1
`;

describe('AWS profiles and credentials', () => {
  const saved = { ...process.env };
  before(() => {
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  });
  after(() => {
    process.env = saved;
  });

  it('lists the profiles of both shared files with how each signs in and its region', async () => {
    const keys = fakeKeys();
    const home = awsHome(`${SSO_CONFIG}\n[profile tool]\ncredential_process = /bin/true\n\n[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = base\n`, `[base]\naws_access_key_id = ${keys.id}\naws_secret_access_key = ${keys.secret}\n`);
    const profiles = await listAwsProfiles(home.env);
    const byName = Object.fromEntries(profiles.map((p) => [p.name, p]));
    assert.deepEqual(Object.keys(byName).sort(), ['analytics-dev', 'base', 'deploy', 'empty', 'tool']);
    assert.equal(byName['analytics-dev'].kind, 'sso');
    assert.equal(byName['analytics-dev'].region, 'eu-central-1');
    assert.equal(byName.tool.kind, 'process');
    assert.equal(byName.deploy.kind, 'role');
    assert.equal(byName.deploy.sourceProfile, 'base');
    assert.equal(byName.base.kind, 'keys');
    assert.equal(byName.empty.kind, 'empty');
  });

  it('an SSO profile without a session says to run aws sso login for that profile', async () => {
    const home = awsHome(SSO_CONFIG);
    const e = await signInError(checkAwsCredentials({ profile: 'analytics-dev', env: home.env }));
    assert.equal(e.kind, 'expired-session');
    assert.match(e.line, /`aws sso login --profile analytics-dev`/);
    assert.match(e.detail, /SSO session/i, 'the SDK message is kept for the log');
  });

  it('an SSO profile whose cached token expired says the same', async () => {
    const home = awsHome(SSO_CONFIG);
    // The SDK's token cache: ~/.aws/sso/cache/<sha1 of the session name>.json
    const { createHash } = await import('node:crypto');
    const cache = path.join(home.dir, '.aws', 'sso', 'cache');
    fs.mkdirSync(cache, { recursive: true });
    fs.writeFileSync(path.join(cache, `${createHash('sha1').update('corp').digest('hex')}.json`), JSON.stringify({ accessToken: randomBytes(16).toString('hex'), expiresAt: new Date(Date.now() - 3600_000).toISOString(), region: 'eu-west-1', startUrl: 'https://corp.awsapps.com/start' }));
    const previousHome = process.env.HOME;
    process.env.HOME = home.dir;
    try {
      const e = await signInError(checkAwsCredentials({ profile: 'analytics-dev', env: home.env }));
      assert.equal(e.kind, 'expired-session');
      assert.match(e.line, /aws sso login --profile analytics-dev/);
    } finally {
      process.env.HOME = previousHome;
    }
  });

  it('a profile that is not in the files names the profile and the command that creates it', async () => {
    const home = awsHome(SSO_CONFIG);
    const e = await signInError(checkAwsCredentials({ profile: 'nope', env: home.env }));
    assert.equal(e.kind, 'no-credentials');
    assert.match(e.line, /profile "nope" is not in/);
    assert.match(e.line, /aws configure sso --profile nope/);
  });

  it('a profile with no way to get credentials says what to configure', async () => {
    const home = awsHome(SSO_CONFIG);
    const e = await signInError(checkAwsCredentials({ profile: 'empty', env: home.env }));
    assert.match(e.line, /profile "empty" has no way to get credentials/);
  });

  it('credential_process: a script written at run time gives the credentials it prints', async () => {
    const keys = fakeKeys();
    const home = awsHome('');
    const script = path.join(home.dir, 'creds.js');
    fs.writeFileSync(script, `process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: ${JSON.stringify(keys.id)}, SecretAccessKey: ${JSON.stringify(keys.secret)}, SessionToken: 'session', Expiration: new Date(Date.now() + 3600e3).toISOString() }));`);
    fs.writeFileSync(home.env.AWS_CONFIG_FILE!, `[profile tool]\ncredential_process = "${process.execPath}" "${script}"\n`);
    const creds = await checkAwsCredentials({ profile: 'tool', env: home.env });
    assert.equal(creds.accessKeyId, keys.id);
    assert.equal(creds.sessionToken, 'session');
  });

  it('credential_process that fails names the profile and says to run its command', async () => {
    const home = awsHome('[profile tool]\ncredential_process = /bin/false\n');
    const e = await signInError(checkAwsCredentials({ profile: 'tool', env: home.env }));
    assert.match(e.line, /credential_process of AWS profile "tool" gave no credentials/);
  });

  it('without a profile and with nothing in the environment, says how to set one', async () => {
    const home = awsHome('');
    const e = await signInError(checkAwsCredentials({ env: home.env }));
    assert.equal(e.kind, 'no-credentials');
    assert.match(e.line, /aws\.profile/);
  });

  it('an injected provider is used as it is', async () => {
    const keys = fakeKeys();
    const creds = await checkAwsCredentials({ profile: 'not-consulted', injected: async () => ({ accessKeyId: keys.id, secretAccessKey: keys.secret }) });
    assert.equal(creds.accessKeyId, keys.id);
  });
});

describe('AWS role chains through the sandbox STS', () => {
  let sandbox: RunningSandbox;
  let denying: RunningSandbox;
  const saved = { ...process.env };
  let home: AwsHome;

  before(async () => {
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    sandbox = await startSandbox({ paths: [SAMPLES] });
    denying = await startSandbox({ paths: [SAMPLES], faults: 'deny=sts:AssumeRole' });
    const keys = fakeKeys();
    home = awsHome(
      `[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = base\nregion = eu-west-1\n\n[profile deploy-mfa]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/alex\nregion = eu-west-1\n\n[profile deploy-broken]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = missing-base\n`,
      `[base]\naws_access_key_id = ${keys.id}\naws_secret_access_key = ${keys.secret}\n`,
    );
  });
  after(async () => {
    process.env = saved;
    await Promise.all([sandbox?.close(), denying?.close()]);
  });

  /** The SDK's nested STS client reads AWS_ENDPOINT_URL_STS from the process environment. */
  function useSts(url: string): void {
    process.env.AWS_ENDPOINT_URL_STS = url;
  }

  it('assumes the role with the source profile\'s keys and returns the session credentials', async () => {
    useSts(sandbox.stepFunctions);
    const creds = await checkAwsCredentials({ profile: 'deploy', env: { ...home.env, AWS_ENDPOINT_URL_STS: sandbox.stepFunctions } });
    assert.match(creds.accessKeyId, /^ASIA/, 'session keys from AssumeRole');
    assert.ok(creds.sessionToken);
  });

  it('asks the MFA callback for the device named by mfa_serial, once', async () => {
    useSts(sandbox.stepFunctions);
    const asked: string[] = [];
    const creds = await checkAwsCredentials({
      profile: 'deploy-mfa',
      env: home.env,
      mfaCode: async (serial) => {
        asked.push(serial);
        return '123456';
      },
    });
    assert.deepEqual(asked, ['arn:aws:iam::123456789012:mfa/alex']);
    assert.ok(creds.sessionToken);
  });

  it('without an MFA callback, says the profile needs a code', async () => {
    useSts(sandbox.stepFunctions);
    const e = await signInError(checkAwsCredentials({ profile: 'deploy-mfa', env: home.env }));
    assert.match(e.line, /profile "deploy-mfa" needs an MFA code for arn:aws:iam::123456789012:mfa\/alex/);
  });

  it('a refused MFA code says to retry with a fresh one', async () => {
    useSts(sandbox.stepFunctions);
    const e = await signInError(checkAwsCredentials({ profile: 'deploy-mfa', env: home.env, mfaCode: async () => 'nope' }));
    assert.equal(e.kind, 'access-denied');
    assert.match(e.line, /MFA code was refused/);
  });

  it('AssumeRole denied names the role and the permission the source identity needs', async () => {
    useSts(denying.stepFunctions);
    const e = await signInError(checkAwsCredentials({ profile: 'deploy', env: home.env }));
    assert.equal(e.kind, 'access-denied');
    assert.match(e.line, /could not assume arn:aws:iam::123456789012:role\/deploy/);
    assert.match(e.line, /sts:AssumeRole/);
    assert.match(e.line, /source profile "base"/);
  });

  it('a source profile that does not exist is named through the chain', async () => {
    useSts(sandbox.stepFunctions);
    const e = await signInError(checkAwsCredentials({ profile: 'deploy-broken', env: home.env }));
    assert.match(e.line, /profile "deploy-broken".*source profile "missing-base"/);
  });
});
