/**
 * Each config-only rule of the spec fires on a minimal failing case: one edit of a valid
 * workspace, the exact diagnostics expected (code, file, range of the key or value content,
 * severity), and a message that says what to do.
 */
import { test, describe, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lintConfigs } from '../../../src/core/lint/engine';
import { nodeFileHost, memoryHost } from '../../../src/core/node-host';
import { RULES, RULE_CODES } from '../../../src/core/rules/codes';
import {
  BASE_CONFIG, CONFIG, CONFIG_FILE_RULES, REPO, CROSS_FILE_RULES, SPEC_RULES, TENANT, baseFiles, edit, edits, expectLint, rangeOf, positionOf,
  lintFiles, assertRangesInside, expectExactly, allDiagnostics, describeAll, materialize,
} from '../lint/support';

const covered = new Set<string>();
const base = baseFiles();
const textOf = (files: Map<string, string>) => files.get(CONFIG)!;

/** Edits the config once; `range(needle, after?)` then locates in the edited text. */
function mutated(from: string, to: string) {
  const files = edit(base, CONFIG, from, to);
  const text = textOf(files);
  return { files, text, range: (needle: string, after?: string) => rangeOf(text, needle, after) };
}

describe('rule table', () => {
  test('RULES has exactly the 36 codes of the spec, with the spec severities', () => {
    assert.equal(Object.keys(SPEC_RULES).length, 36);
    assert.deepEqual([...RULE_CODES].sort(), Object.keys(SPEC_RULES).sort());
    for (const code of RULE_CODES) assert.equal(RULES[code].severity, SPEC_RULES[code], code);
  });
  test('the rule test files together cover every spec code', () => {
    assert.deepEqual([...CONFIG_FILE_RULES, ...CROSS_FILE_RULES].sort(), Object.keys(SPEC_RULES).sort());
  });
});

describe('json-syntax', () => {
  test('a stray character is reported at that character', async () => {
    const m = mutated('"version": 1,', '"version": 1, #');
    await expectLint(covered, m.files, [{ code: 'json-syntax', file: CONFIG, range: m.range('#') }]);
  });
  test('a missing comma is reported at the token after it', async () => {
    const m = mutated('"resourceGroup": "rg-analytics",', '"resourceGroup": "rg-analytics"');
    const [d] = await expectLint(covered, m.files, [{ code: 'json-syntax', file: CONFIG }]);
    assert.deepEqual(d.range.start, m.range('"factory"').start);
  });
  test('comments and trailing commas are JSONC, not errors', async () => {
    const m = mutated('"partition": "aws",', '/* block */ "partition": "aws", // line\n');
    const m2 = edit(m.files, CONFIG, '"prod": { "protected": true }', '"prod": { "protected": true, },');
    await expectLint(covered, m2, []);
  });
});

describe('duplicate-key', () => {
  test('the second occurrence of a key is reported on its content', async () => {
    const m = mutated('"region": "eu-west-1",', '"region": "eu-west-1",\n    "region": "eu-west-1",');
    await expectLint(covered, m.files, [{ code: 'duplicate-key', file: CONFIG, range: m.range('region', '"region"'), message: /region/ }]);
  });
  test('a duplicated link name is reported', async () => {
    const m = mutated('"landing": {', '"ingest": {');
    const [d] = await expectLint(covered, m.files, [{ code: 'duplicate-key', file: CONFIG, range: m.range('ingest', '["../payloads/ingest.json"]') }]);
    assert.match(d.message, /ingest/);
  });
});

describe('unknown-property', () => {
  test('a misspelt key is reported on its content with the closest known key', async () => {
    const m = mutated('"partition": "aws"', '"partiton": "aws"');
    const [d] = await expectLint(covered, m.files, [{ code: 'unknown-property', file: CONFIG, range: m.range('partiton'), message: /"partition"/ }]);
    assert.deepEqual(d.fix, { kind: 'rename-key', to: 'partition' });
  });
  test('a misspelt link key is reported in the link', async () => {
    const m = mutated('"payloads": ["../payloads/ingest.json"]', '"payload": ["../payloads/ingest.json"]');
    await expectLint(covered, m.files, [{ code: 'unknown-property', file: CONFIG, range: m.range('payload', '"ingest": {'), message: /"payloads"/ }]);
  });
});

describe('missing-property', () => {
  test('a missing top-level key is reported on the root brace', async () => {
    const m = mutated('"version": 1,\n', '');
    const brace = m.text.indexOf('{');
    const start = positionOf(m.text, brace);
    await expectLint(covered, m.files, [{ code: 'missing-property', file: CONFIG, range: { start, end: { line: start.line, character: start.character + 1 } }, message: /"version"/ }]);
  });
  test('a missing azure key is reported on the "azure" key', async () => {
    const m = mutated('"subscriptionId": "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",\n', '');
    await expectLint(covered, m.files, [{ code: 'missing-property', file: CONFIG, range: m.range('azure'), message: /subscriptionId/ }]);
  });
  test('adf-to-sfn without adf.activity is reported on the link\'s "adf" key', async () => {
    const m = mutated('"pipeline": "RetrainModel",\n        "activity": "StartRetrain"', '"pipeline": "RetrainModel"');
    await expectLint(covered, m.files, [{ code: 'missing-property', file: CONFIG, range: m.range('adf', '"trigger": "adf-to-sfn",'), message: /activity/ }]);
  });
  test('adf-to-sfn without gateway is reported on the link name', async () => {
    const start = BASE_CONFIG.indexOf('"gateway": {');
    const end = BASE_CONFIG.indexOf('"identity": {', start);
    const m = mutated(BASE_CONFIG.slice(start, end), '');
    await expectLint(covered, m.files, [{ code: 'missing-property', file: CONFIG, range: m.range('nightly-retrain'), message: /gateway/ }]);
  });
  test('s3-to-sfn without s3 is reported on the link name', async () => {
    const m = mutated('"s3": { "bucket": "analytics-landing-dev", "prefix": "incoming/" },', '');
    await expectLint(covered, m.files, [{ code: 'missing-property', file: CONFIG, range: m.range('landing', '"ingest": {'), message: /s3/ }]);
  });
  test('a link without awsRoleArn is reported on its "identity" key', async () => {
    const m = mutated('"identity": { "awsRoleArn": "arn:aws:iam::123456789012:role/s3-landing" },', '"identity": {},');
    await expectLint(covered, m.files, [{ code: 'missing-property', file: CONFIG, range: m.range('identity', '"s3-to-sfn"'), message: /awsRoleArn/ }]);
  });
  test('a link without environment, with two declared, is reported on the link name', async () => {
    const m = mutated('"environment": "dev",\n      "trigger": "s3-to-sfn"', '"trigger": "s3-to-sfn"');
    await expectLint(covered, m.files, [{ code: 'missing-property', file: CONFIG, range: m.range('landing', '"ingest": {'), message: /environment/ }]);
  });
  test('a link without environment, with exactly one declared, is fine', async () => {
    const files = edits(base, [CONFIG, '"environment": "dev",\n      "trigger": "s3-to-sfn"', '"trigger": "s3-to-sfn"'], [CONFIG, ',\n    "prod": { "protected": true }', '']);
    await expectLint(covered, files, []);
  });
});

describe('invalid-type', () => {
  test('a quoted version is reported on the string content, and says to remove the quotes', async () => {
    const m = mutated('"version": 1,', '"version": "1",');
    await expectLint(covered, m.files, [{ code: 'invalid-type', file: CONFIG, range: m.range('1', '"version": "'), message: /quotes/ }]);
  });
  test('a numeric account id is reported on the number', async () => {
    const m = mutated('"accountId": "123456789012"', '"accountId": 123456789012');
    await expectLint(covered, m.files, [{ code: 'invalid-type', file: CONFIG, range: m.range('123456789012', '"accountId": '), message: /string/ }]);
  });
  test('an object where a string belongs is reported on the whole object', async () => {
    const m = mutated('"resourceGroup": "rg-analytics"', '"resourceGroup": { "name": "rg" }');
    await expectLint(covered, m.files, [{ code: 'invalid-type', file: CONFIG, range: m.range('{ "name": "rg" }') }]);
  });
  test('a config that is an array is reported', async () => {
    const files = edit(base, CONFIG, BASE_CONFIG, '[1, 2]');
    await expectLint(covered, files, [{ code: 'invalid-type', file: CONFIG, range: rangeOf('[1, 2]', '[1, 2]') }]);
  });
});

describe('invalid-value', () => {
  test('a cloud outside its enum suggests the closest', async () => {
    const m = mutated('"cloud": "AzureCloud"', '"cloud": "AzureClould"');
    await expectLint(covered, m.files, [{ code: 'invalid-value', file: CONFIG, range: m.range('AzureClould'), message: /AzureCloud/ }]);
  });
  test('a trigger outside its enum', async () => {
    const m = mutated('"trigger": "s3-to-sfn"', '"trigger": "s3-to-lambda"');
    await expectLint(covered, m.files, [{ code: 'invalid-value', file: CONFIG, range: m.range('s3-to-lambda'), message: /adf-to-sfn|s3-to-sfn/ }]);
  });
  test('a subscription id that is not a GUID', async () => {
    const m = mutated('"subscriptionId": "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"', '"subscriptionId": "my-subscription"');
    await expectLint(covered, m.files, [{ code: 'invalid-value', file: CONFIG, range: m.range('my-subscription'), message: /GUID/ }]);
  });
  test('an account id that is not 12 digits', async () => {
    const m = mutated('"accountId": "123456789012"', '"accountId": "12345"');
    await expectLint(covered, m.files, [{ code: 'invalid-value', file: CONFIG, range: m.range('12345', '"accountId": "'), message: /12 digits/ }]);
  });
  test('a region that is not an AWS region name', async () => {
    const m = mutated('"region": "eu-west-1"', '"region": "Europe West"');
    const result = await lintFiles(m.files);
    const found = allDiagnostics(result).filter((d) => d.code === 'invalid-value');
    assert.equal(found.length, 1, describeAll(result));
    assert.deepEqual(found[0].range, m.range('Europe West'));
    covered.add('invalid-value');
  });
  test('an invalid aws.region is one problem, not a region-mismatch on every ARN', async () => {
    const m = mutated('"region": "eu-west-1"', '"region": "Europe West"');
    await expectLint(covered, m.files, [{ code: 'invalid-value', file: CONFIG, range: m.range('Europe West') }]);
  });
  test('an invalid tenantId is one problem, not also an issuer-tenant-mismatch', async () => {
    const m = mutated(`"tenantId": "${TENANT}"`, '"tenantId": "my-tenant"');
    await expectLint(covered, m.files, [{ code: 'invalid-value', file: CONFIG, range: m.range('my-tenant'), message: /GUID/ }]);
  });
  test('a link name with spaces', async () => {
    const m = mutated('"landing": {', '"landing csv": {');
    await expectLint(covered, m.files, [{ code: 'invalid-value', file: CONFIG, range: m.range('landing csv') }]);
  });
  test('a negative throttle', async () => {
    const m = mutated('"rateLimit": 10', '"rateLimit": -5');
    await expectLint(covered, m.files, [{ code: 'invalid-value', file: CONFIG, range: m.range('-5') }]);
  });
});

describe('not-allowed', () => {
  test('sfn-to-adf with adf.activity: on the "activity" key', async () => {
    const m = mutated('"adf": { "pipeline": "IngestLanding" }', '"adf": { "pipeline": "IngestLanding", "activity": "Log" }');
    await expectLint(covered, m.files, [{ code: 'not-allowed', file: CONFIG, range: m.range('activity', '"IngestLanding", "'), message: /Remove/ }]);
  });
  test('s3-to-sfn with a gateway: on the "gateway" key', async () => {
    const m = mutated('"s3": { "bucket"', '"gateway": { "url": "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/x", "issuer": "https://sts.windows.net/' + TENANT + '/", "audience": "api://x" },\n      "s3": { "bucket"');
    await expectLint(covered, m.files, [{ code: 'not-allowed', file: CONFIG, range: m.range('gateway', '"s3-to-sfn"'), message: /Remove/ }]);
  });
  test('s3-to-sfn with an adf block: on the "adf" key', async () => {
    const m = mutated('"s3": { "bucket"', '"adf": { "pipeline": "RetrainModel" },\n      "s3": { "bucket"');
    await expectLint(covered, m.files, [{ code: 'not-allowed', file: CONFIG, range: m.range('adf', '"s3-to-sfn"'), message: /Remove/ }]);
  });
});

describe('unsupported-version', () => {
  test('version 2 is reported on the number', async () => {
    const m = mutated('"version": 1,', '"version": 2,');
    await expectLint(covered, m.files, [{ code: 'unsupported-version', file: CONFIG, range: m.range('2', '"version": '), message: /1/ }]);
  });
});

describe('invalid-arn', () => {
  test('a Lambda ARN where a state machine belongs', async () => {
    const m = mutated('arn:aws:states:eu-west-1:123456789012:stateMachine:LandingCsv', 'arn:aws:lambda:eu-west-1:123456789012:function:LandingCsv');
    await expectLint(covered, m.files, [{ code: 'invalid-arn', file: CONFIG, range: m.range('arn:aws:lambda:eu-west-1:123456789012:function:LandingCsv') }]);
  });
  test('a string that is not an ARN at all', async () => {
    const m = mutated('arn:aws:states:eu-west-1:123456789012:stateMachine:StartIngest', 'StartIngest');
    await expectLint(covered, m.files, [{ code: 'invalid-arn', file: CONFIG, range: m.range('StartIngest', '"arn": "') }]);
  });
  test('an IAM user where a role belongs', async () => {
    const m = mutated('arn:aws:iam::123456789012:role/s3-landing', 'arn:aws:iam::123456789012:user/s3-landing');
    await expectLint(covered, m.files, [{ code: 'invalid-arn', file: CONFIG, range: m.range('arn:aws:iam::123456789012:user/s3-landing'), message: /role/ }]);
  });
});

describe('region-mismatch', () => {
  test('a state machine ARN in another region', async () => {
    const arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:LandingCsv';
    const m = mutated('arn:aws:states:eu-west-1:123456789012:stateMachine:LandingCsv', arn);
    await expectLint(covered, m.files, [{ code: 'region-mismatch', file: CONFIG, range: m.range(arn), message: /eu-west-1/ }]);
  });
  test('a gateway URL in another region (and the pipeline now calls another URL)', async () => {
    const url = 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/retrain';
    const m = mutated('"url": "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/retrain"', `"url": "${url}"`);
    const { PIPELINE, BASE_PIPELINE } = await import('../lint/support');
    await expectLint(covered, m.files, [
      { code: 'region-mismatch', file: CONFIG, range: m.range(url), message: /eu-west-1/ },
      { code: 'url-mismatch', file: PIPELINE, range: rangeOf(BASE_PIPELINE, 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/retrain') },
    ]);
  });
});

describe('account-mismatch', () => {
  test('a state machine in another account', async () => {
    const arn = 'arn:aws:states:eu-west-1:210987654321:stateMachine:StartIngest';
    const m = mutated('arn:aws:states:eu-west-1:123456789012:stateMachine:StartIngest', arn);
    await expectLint(covered, m.files, [{ code: 'account-mismatch', file: CONFIG, range: m.range(arn), message: /123456789012/ }]);
  });
  test('a role in another account', async () => {
    const arn = 'arn:aws:iam::210987654321:role/s3-landing';
    const m = mutated('arn:aws:iam::123456789012:role/s3-landing', arn);
    await expectLint(covered, m.files, [{ code: 'account-mismatch', file: CONFIG, range: m.range(arn) }]);
  });
});

describe('partition-mismatch', () => {
  test('an aws-cn ARN in an aws config', async () => {
    const arn = 'arn:aws-cn:states:eu-west-1:123456789012:stateMachine:LandingCsv';
    const m = mutated('arn:aws:states:eu-west-1:123456789012:stateMachine:LandingCsv', arn);
    await expectLint(covered, m.files, [{ code: 'partition-mismatch', file: CONFIG, range: m.range(arn), message: /aws/ }]);
  });
  test('the default partition is aws when aws.partition is absent', async () => {
    const arn = 'arn:aws-us-gov:iam::123456789012:role/s3-landing';
    const files = edits(base, [CONFIG, '"partition": "aws",\n', ''], [CONFIG, 'arn:aws:iam::123456789012:role/s3-landing', arn]);
    await expectLint(covered, files, [{ code: 'partition-mismatch', file: CONFIG, range: rangeOf(textOf(files), arn) }]);
  });
});

describe('unknown-environment', () => {
  test('a link naming an undeclared environment', async () => {
    const m = mutated('"environment": "dev",\n      "trigger": "s3-to-sfn"', '"environment": "staging",\n      "trigger": "s3-to-sfn"');
    await expectLint(covered, m.files, [{ code: 'unknown-environment', file: CONFIG, range: m.range('staging'), message: /dev/ }]);
  });
});

describe('unprotected-prod', () => {
  test('prod without "protected" is reported on its key', async () => {
    const m = mutated('"prod": { "protected": true }', '"prod": {}');
    await expectLint(covered, m.files, [{ code: 'unprotected-prod', file: CONFIG, range: m.range('prod', '"environments"'), message: /"protected": true/ }]);
  });
  test('production with "protected": false is reported on the false', async () => {
    const m = mutated('"prod": { "protected": true }', '"production": { "protected": false }');
    await expectLint(covered, m.files, [{ code: 'unprotected-prod', file: CONFIG, range: m.range('false') }]);
  });
  test('prd counts as production; staging does not', async () => {
    const m = mutated('"prod": { "protected": true }', '"prd": {}, "staging": {}');
    await expectLint(covered, m.files, [{ code: 'unprotected-prod', file: CONFIG, range: m.range('prd') }]);
  });
});

/** Fake credentials, made at run time so no literal in the source looks like a key. */
const fake = {
  upper: (n: number) => Array.from(crypto.randomBytes(n), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b % 32]).join(''),
  awsKeyId: () => 'AKIA' + fake.upper(16),
  awsSecret: () => {
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    const body = Array.from(crypto.randomBytes(37), (b) => chars[b % chars.length]).join('');
    return 'aB3' + body.slice(0, 17) + '/' + body.slice(17, 36);
  },
  jwt: () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    return `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ sub: crypto.randomUUID(), aud: 'api://x' })}.${crypto.randomBytes(32).toString('base64url')}`;
  },
  sasSig: () => `sv=2022-11-02&ss=b&srt=o&sp=r&se=2030-01-01&sig=${encodeURIComponent(crypto.randomBytes(32).toString('base64'))}`,
  privateKey: () => ['-----BEGIN', 'PRIVATE', 'KEY-----'].join(' ') + '\\n' + crypto.randomBytes(24).toString('base64'),
};

describe('inline-secret', () => {
  const inPrefix = async (secret: string, kind: RegExp) => {
    const m = mutated('"prefix": "incoming/"', `"prefix": "${secret}"`);
    const [d] = await expectLint(covered, m.files, [{ code: 'inline-secret', file: CONFIG, range: m.range(secret), message: kind }]);
    assert.ok(!d.message.includes(secret), 'the message must not repeat the secret');
  };
  test('an AWS access key id', () => inPrefix(fake.awsKeyId(), /access key/));
  test('an AWS secret access key', () => inPrefix(fake.awsSecret(), /secret/));
  test('a JWT', () => inPrefix(fake.jwt(), /Token|JWT/i));
  test('a SAS signature', () => inPrefix('https://acct.blob.core.windows.net/c?' + fake.sasSig(), /SAS/));
  test('a private key', () => inPrefix(fake.privateKey(), /private key/));
  test('a value under a password key (with unknown-property for the key)', async () => {
    const password = crypto.randomBytes(9).toString('hex');
    const m = mutated('"profile": "analytics-dev"', `"profile": "analytics-dev",\n    "password": "${password}"`);
    await expectLint(covered, m.files, [
      { code: 'unknown-property', file: CONFIG, range: m.range('password') },
      { code: 'inline-secret', file: CONFIG, range: m.range(password), message: /password/ },
    ]);
  });
  test('a path-valued key holding a path is not a secret, even with a 40-character run of letters, digits and slashes', async () => {
    const repo = 'adf-codebase/solution/DeploymentV2/terraform_layer';
    const moved = new Map<string, string>();
    for (const [file, text] of base) moved.set(file.startsWith(REPO + path.sep) ? path.join(path.dirname(CONFIG), repo, path.relative(REPO, file)) : file, text);
    const files = edit(moved, CONFIG, '"repoRoot": "../adf"', `"repoRoot": "${repo}"`);
    await expectLint(covered, files, []);
  });
  test('a path-valued key whose whole value is shaped like an AWS secret key is still reported', async () => {
    const secret = fake.awsSecret();
    const m = mutated('"mocks": "../mocks/retrain.mock.json"', `"mocks": "${secret}"`);
    await expectLint(covered, m.files, [
      { code: 'inline-secret', file: CONFIG, range: m.range(secret), message: /secret/ },
      { code: 'file-not-found', file: CONFIG, range: m.range(secret) },
    ]);
  });
  test('S3 path segments are not a secret key, though they make a 40-character run of mixed case, digits and slashes', async () => {
    const prefix = 'landing/Sales/Region01/Daily/2024/Batch7';
    assert.equal(prefix.length, 40);
    await expectLint(covered, mutated('"prefix": "incoming/"', `"prefix": "${prefix}"`).files, []);
  });
  test('an ordinary value is not a secret', async () => {
    const m = mutated('"prefix": "incoming/"', '"prefix": "incoming/2026/AKIA-reports/"');
    await expectLint(covered, m.files, []);
  });
});

describe('static-credentials', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-creds-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };
  // The workspace is written to disk too: the credential files are read through the same host.
  const mapPath = materialize(base, path.join(dir, 'ws'));
  const lintWithEnv = async (env: Record<string, string>) => {
    const result = await lintConfigs([mapPath(CONFIG)], nodeFileHost, { env });
    return { ...result, diagnostics: new Map([...result.diagnostics].map(([f, l]) => [f === mapPath(CONFIG) ? CONFIG : f, l.map((d) => ({ ...d, file: d.file === mapPath(CONFIG) ? CONFIG : d.file }))])) };
  };

  test('a profile with long-lived keys in the credentials file: warning on the profile value', async () => {
    const credentials = write('credentials', `[default]\naws_access_key_id = ${fake.awsKeyId()}\n\n[analytics-dev]\naws_access_key_id = ${fake.awsKeyId()}\naws_secret_access_key = ${fake.awsSecret()}\n`);
    const config = write('config', '[profile analytics-dev]\nregion = eu-west-1\n');
    const result = await lintWithEnv({ AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: config, HOME: dir });
    const [d] = expectExactly(result, [{ code: 'static-credentials', file: CONFIG, range: rangeOf(BASE_CONFIG, 'analytics-dev', '"profile": "'), message: /sso|role/i }]);
    covered.add(d.code);
  });
  test('keys found through HOME/.aws when no variables name the files', async () => {
    const home = fs.mkdtempSync(path.join(dir, 'home-'));
    fs.mkdirSync(path.join(home, '.aws'));
    fs.writeFileSync(path.join(home, '.aws', 'config'), `[profile analytics-dev]\naws_access_key_id = ${fake.awsKeyId()}\naws_secret_access_key = ${fake.awsSecret()}\n`);
    const result = await lintWithEnv({ HOME: home });
    expectExactly(result, [{ code: 'static-credentials', file: CONFIG, range: rangeOf(BASE_CONFIG, 'analytics-dev', '"profile": "') }]);
  });
  test('a profile that assumes a role is fine', async () => {
    const credentials = write('credentials-role', `[base]\naws_access_key_id = ${fake.awsKeyId()}\naws_secret_access_key = ${fake.awsSecret()}\n`);
    const config = write('config-role', '[profile analytics-dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = base\n');
    const result = await lintWithEnv({ AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: config, HOME: dir });
    expectExactly(result, []);
  });
  test('an SSO profile is fine', async () => {
    const config = write('config-sso', '[profile analytics-dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n');
    const result = await lintWithEnv({ AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none'), AWS_CONFIG_FILE: config, HOME: dir });
    expectExactly(result, []);
  });
  test('session-token credentials are short-lived: fine', async () => {
    const credentials = write('credentials-session', `[analytics-dev]\naws_access_key_id = ${'ASIA' + fake.upper(16)}\naws_secret_access_key = ${fake.awsSecret()}\naws_session_token = ${crypto.randomBytes(40).toString('base64')}\n`);
    const result = await lintWithEnv({ AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: path.join(dir, 'none'), HOME: dir });
    expectExactly(result, []);
  });
});

describe('shared-role', () => {
  test('two links for different pipelines with one role: a warning on each role ARN', async () => {
    const role = 'arn:aws:iam::123456789012:role/adf-retrain';
    const m = mutated('arn:aws:iam::123456789012:role/sfn-start-ingest', role);
    await expectLint(covered, m.files, [
      { code: 'shared-role', file: CONFIG, range: m.range(role, '"nightly-retrain"'), message: /ingest/ },
      { code: 'shared-role', file: CONFIG, range: m.range(role, '"ingest": {'), message: /nightly-retrain/ },
    ]);
  });
});

describe('issuer-format', () => {
  test('an issuer that is not an Entra ID URL', async () => {
    const m = mutated(`"issuer": "https://sts.windows.net/${TENANT}/"`, '"issuer": "https://example.com/oauth2"');
    const [d] = await expectLint(covered, m.files, [{ code: 'issuer-format', file: CONFIG, range: m.range('https://example.com/oauth2'), message: /sts\.windows\.net/ }]);
    assert.deepEqual(d.fix, { kind: 'replace-value', value: `https://sts.windows.net/${TENANT}/` });
  });
  test('a v1 issuer without its trailing slash', async () => {
    const m = mutated(`"issuer": "https://sts.windows.net/${TENANT}/"`, `"issuer": "https://sts.windows.net/${TENANT}"`);
    await expectLint(covered, m.files, [{ code: 'issuer-format', file: CONFIG, range: m.range(`https://sts.windows.net/${TENANT}`) }]);
  });
  test('the v2.0 form is accepted', async () => {
    const m = mutated(`"issuer": "https://sts.windows.net/${TENANT}/"`, `"issuer": "https://login.microsoftonline.com/${TENANT}/v2.0"`);
    await expectLint(covered, m.files, []);
  });
});

describe('issuer-tenant-mismatch', () => {
  test('an issuer of another tenant', async () => {
    const other = '11111111-2222-4333-8444-555555555555';
    const m = mutated(`"issuer": "https://sts.windows.net/${TENANT}/"`, `"issuer": "https://sts.windows.net/${other}/"`);
    await expectLint(covered, m.files, [{ code: 'issuer-tenant-mismatch', file: CONFIG, range: m.range(`https://sts.windows.net/${other}/`), message: new RegExp(TENANT) }]);
  });
  test('a public-cloud host in a China-cloud config', async () => {
    const files = edit(base, CONFIG, '"cloud": "AzureCloud"', '"cloud": "AzureChinaCloud"');
    await expectLint(covered, files, [{ code: 'issuer-tenant-mismatch', file: CONFIG, range: rangeOf(textOf(files), `https://sts.windows.net/${TENANT}/`), message: /chinacloudapi/ }]);
  });
});

describe('missing-throttle', () => {
  test('a gateway without throttle: warning on the "gateway" key', async () => {
    const m = mutated(',\n        "throttle": { "rateLimit": 10, "burstLimit": 20 }', '');
    await expectLint(covered, m.files, [{ code: 'missing-throttle', file: CONFIG, range: m.range('gateway'), message: /throttle/ }]);
  });
});

describe('s3-no-filter', () => {
  test('an s3-to-sfn link without prefix or suffix: warning on the "s3" key', async () => {
    const m = mutated(', "prefix": "incoming/"', '');
    await expectLint(covered, m.files, [{ code: 's3-no-filter', file: CONFIG, range: m.range('s3', '"s3-to-sfn"'), message: /prefix|suffix/ }]);
  });
  test('a suffix alone is a filter', async () => {
    const m = mutated('"prefix": "incoming/"', '"suffix": ".csv"');
    await expectLint(covered, m.files, []);
  });
});

describe('coverage', () => {
  test('every config rule of the spec fired in this file', () => {
    const missing = CONFIG_FILE_RULES.filter((c) => !covered.has(c));
    assert.deepEqual(missing, []);
  });
});

// Used only to keep the imports honest when the file is trimmed.
void memoryHost;
void assertRangesInside;
