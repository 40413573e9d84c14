/**
 * Secrets echoed (issue 14): one redaction, used by every lint printer, hides whole credentials —
 * a JWT through its signature, a SAS signature, keys, passwords — and keeps the rest of the line.
 * Every credential here is made up at run time.
 */
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { redactSecrets } from '../../../src/core/redact';
import { secretKind } from '../../../src/core/rules/secrets';
import { bridge } from '../cli/support';

const SAMPLES = path.resolve(__dirname, '../../../../samples');
const b64url = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** A token shaped like Entra ID's: header.payload.signature, all base64url. */
function fakeJwt(): { token: string; parts: string[] } {
  const parts = [b64url({ alg: 'RS256', typ: 'JWT', kid: randomBytes(6).toString('hex') }), b64url({ aud: 'api://x', oid: randomBytes(8).toString('hex'), iat: 1 }), randomBytes(64).toString('base64url')];
  return { token: parts.join('.'), parts };
}

/** A SAS signature as it appears in a URL: base64 with + / = %-escaped. */
function fakeSasSignature(): string {
  for (;;) {
    const raw = randomBytes(32).toString('base64');
    if (/[+/]/.test(raw)) return encodeURIComponent(raw);
  }
}

function fakeAwsSecret(): string {
  for (;;) {
    const s = randomBytes(30).toString('base64');
    if (/[a-z]/.test(s) && /[A-Z]/.test(s) && /\d/.test(s) && /[+/]/.test(s)) return s;
  }
}

describe('redactSecrets', () => {
  test('a JWT goes whole — header, payload and signature — and the words around it stay', () => {
    const { token, parts } = fakeJwt();
    const out = redactSecrets(`Activity "Call" asks for a token for "${token}", but the gateway accepts audience "api://x".`);
    for (const part of parts) assert.ok(!out.includes(part), `${part.slice(0, 12)}… is still there: ${out}`);
    assert.equal(out, 'Activity "Call" asks for a token for "«redacted JSON Web Token»", but the gateway accepts audience "api://x".');
  });

  test('a SAS signature in a URL: sig= stays, its value goes, the other parameters stay', () => {
    const sig = fakeSasSignature();
    const out = redactSecrets(`calls https://acct.blob.core.windows.net/c?sv=2022-11-02&sp=r&sig=${sig}&se=2030-01-01 now`);
    assert.ok(!out.includes(sig));
    assert.equal(out, 'calls https://acct.blob.core.windows.net/c?sv=2022-11-02&sp=r&sig=«redacted Azure SAS signature»&se=2030-01-01 now');
  });

  test('keys and passwords in connection strings, URLs and JSON; a Bearer token; an AWS key pair', () => {
    const key = randomBytes(64).toString('base64');
    const password = `p${randomBytes(9).toString('base64url')}`;
    const secret = fakeAwsSecret();
    const accessKeyId = `AKIA${randomBytes(10).toString('hex').toUpperCase().slice(0, 16)}`;
    const bearer = randomBytes(24).toString('base64url');
    const cases: [string, string][] = [
      [`DefaultEndpointsProtocol=https;AccountName=a;AccountKey=${key};EndpointSuffix=core.windows.net`, 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=«redacted Azure storage account key»;EndpointSuffix=core.windows.net'],
      [`Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=${key}`, 'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=«redacted shared access key»'],
      [`Server=db;User Id=sa;Password=${password};`, 'Server=db;User Id=sa;Password=«redacted password»;'],
      [`postgres://admin:${password}@db.example.com:5432/x`, 'postgres://admin:«redacted password»@db.example.com:5432/x'],
      [`{"user":"u","password":"${password}","clientSecret":"${password}x"}`, '{"user":"u","password":"«redacted secret»","clientSecret":"«redacted secret»"}'],
      [`Authorization: Bearer ${bearer}`, 'Authorization: Bearer «redacted bearer token»'],
      [`aws_access_key_id=${accessKeyId} aws_secret_access_key=${secret}`, 'aws_access_key_id=«redacted AWS access key id» aws_secret_access_key=«redacted AWS secret access key»'],
    ];
    for (const [input, expected] of cases) assert.equal(redactSecrets(input), expected, input.replace(/=.*/, '=…'));
  });

  test('a private key goes from its BEGIN line through its END line', () => {
    const body = randomBytes(90).toString('base64').replace(/(.{64})/g, '$1\n');
    const out = redactSecrets(`key: -----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----\nnext line`);
    assert.equal(out, 'key: «redacted private key»\nnext line');
  });

  test('whatever the inline-secret rule flags is redacted too', () => {
    for (const value of [`${randomBytes(2).toString('hex').slice(0, 3)}8Q~${randomBytes(30).toString('base64url').slice(0, 32)}`, fakeJwt().token, `sig=${fakeSasSignature()}`]) {
      assert.ok(secretKind(value, undefined), value.slice(0, 8));
      assert.equal(secretKind(redactSecrets(`x ${value} y`), undefined), undefined, redactSecrets(value));
    }
  });

  test('text without secrets is returned as it is (ARNs, URLs, GUIDs, hashes)', () => {
    const plain = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Retrain https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/retrain 7f3c7e4e-1b0a-4c8e-9d3e-2a1b5c6d7e8f da39a3ee5e6b4b0d3255bfef95601890afd80709 token audience key';
    assert.equal(redactSecrets(plain), plain);
  });
});

describe('lint printers never print a SAS signature or a JWT', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-redact-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const sig = fakeSasSignature();
  const jwt = fakeJwt();
  fs.cpSync(SAMPLES, dir, { recursive: true });
  const pipelineFile = path.join(dir, 'adf/pipeline/RetrainModel.json');
  const pipeline = JSON.parse(fs.readFileSync(pipelineFile, 'utf8'));
  const web = pipeline.properties.activities.find((a: { name: string }) => a.name === 'StartRetrain');
  web.typeProperties.url = `https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/other?sv=2022-11-02&sig=${sig}`;
  web.typeProperties.authentication.resource = jwt.token;
  fs.writeFileSync(pipelineFile, JSON.stringify(pipeline, null, 2));

  for (const format of ['text', 'json', 'sarif']) {
    test(`--format ${format}: url-mismatch and audience-mismatch are reported, redacted`, async () => {
      const run = await bridge(['lint', '--format', format, '.'], { cwd: dir });
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stdout, /url-mismatch/);
      assert.match(run.stdout, /audience-mismatch/);
      assert.ok(!run.stdout.includes(sig), 'the SAS signature is printed');
      for (const part of jwt.parts) assert.ok(!run.stdout.includes(part), 'a part of the JWT is printed');
      assert.match(run.stdout, /sig=«redacted Azure SAS signature»/);
      assert.match(run.stdout, /«redacted JSON Web Token»/);
    });
  }
});
