/** `bridge run` as a user calls it: flags, output formats, exit codes, Ctrl-C. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { assertNoCrash, bridge, ROOT, SAMPLES, tempDir } from './support';

const ENV = { AWS_EC2_METADATA_DISABLED: 'true' };

/** A link whose state machine waits (3,000 s, 30 s in the sandbox's time): a run that outlasts the test's patience. */
function slowWorkspace(): string {
  const dir = tempDir('slow');
  fs.mkdirSync(path.join(dir, 'sm'));
  fs.writeFileSync(path.join(dir, 'sm', 'slow.asl.json'), JSON.stringify({ StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 3000, End: true } } }));
  fs.writeFileSync(
    path.join(dir, 'slow.bridge.jsonc'),
    JSON.stringify({ version: 1, aws: { accountId: '123456789012', region: 'eu-west-1' }, environments: { dev: {} }, links: { slow: { trigger: 's3-to-sfn', stateMachine: { arn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:Slow', definition: './sm/slow.asl.json' }, s3: { bucket: 'b' }, identity: { awsRoleArn: 'arn:aws:iam::123456789012:role/r' } } } }),
  );
  return dir;
}

describe('bridge run: usage', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown format', ['run', '--format', 'xml', SAMPLES], /--format takes text or jsonl/],
    ['both sandbox flags', ['run', '--sandbox', '--sandbox-endpoints', '{}', SAMPLES], /not both/],
    ['an unknown link', ['run', '--link', 'nope', SAMPLES], /No link "nope" .*links: nightly-retrain, ingest-landing, landing-csv/],
    ['a bad timeout', ['run', '--timeout', 'soon', SAMPLES], /--timeout takes a whole number of seconds/],
    ['endpoints that are not the sandbox line', ['run', '--sandbox-endpoints', '{"x":1}', SAMPLES], /--sandbox-endpoints: .* no stepFunctions URL/],
  ];
  for (const [what, argv, message] of cases) {
    it(`${what}: exit 2 with one line that says what to do`, async () => {
      const run = await bridge(argv, { env: ENV });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, message);
      assert.equal(run.stdout, '');
      assertNoCrash(run);
    });
  }

  it('no bridge config under PATH: exit 2', async () => {
    const run = await bridge(['run', '--sandbox', tempDir('empty')], { env: ENV });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /No bridge configs/);
  });
});

describe('bridge run --sandbox', () => {
  it('--format jsonl: only JSON objects on stdout, a run line, events and a summary per link, exit 0', async () => {
    const run = await bridge(['run', '--sandbox', '--format', 'jsonl', '--link', 'nightly-retrain', '--link', 'landing-csv', SAMPLES], { env: ENV });
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.filter((l) => l.type !== 'event').map((l) => [l.type, l.link ?? l.status]), [['run', 'nightly-retrain'], ['summary', 'Succeeded'], ['run', 'landing-csv'], ['summary', 'Succeeded']]);
    assert.ok(lines.some((l) => l.source === 'gateway' && l.status === 200), 'the gateway hop of nightly-retrain');
  });

  it('text: each link, its events and a last line counting the successes', async () => {
    const run = await bridge(['run', '--sandbox', '--link', 'ingest-landing', SAMPLES], { env: ENV });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /▶ ingest-landing \(sfn-to-adf/);
    assert.match(run.stdout, /adf {5}pipeline IngestLanding \(run \w+\) Succeeded/);
    assert.match(run.stdout, /✔ Succeeded · \d+ events/);
    assert.match(run.stdout, /1 of 1 test run succeeded\.$/m);
  });

  it('--timeout: a run followed for too short a time is TimedOut, says the run goes on, exit 1', async () => {
    const run = await bridge(['run', '--sandbox', '--format', 'jsonl', '--timeout', '1', slowWorkspace()], { env: ENV });
    assert.equal(run.code, 1, run.stderr);
    const summary = JSON.parse(run.stdout.trim().split('\n').pop()!);
    assert.equal(summary.status, 'TimedOut');
    assert.match(summary.reason, /the run itself goes on/);
    assert.ok(summary.stillRunning.length > 0);
  });
});

describe('bridge run: Ctrl-C', () => {
  it('SIGINT stops following within seconds, exits non-zero and says which runs keep going', async () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'bridge.js'), 'run', '--sandbox', '--format', 'jsonl', slowWorkspace()], { cwd: ROOT, env: { ...process.env, ...ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
    const stderr: string[] = [];
    readline.createInterface({ input: child.stderr! }).on('line', (l) => stderr.push(l));
    const lines: string[] = [];
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no event within 30 s; stderr: ${stderr.join('\n')}`)), 30_000);
      readline.createInterface({ input: child.stdout! }).on('line', (l) => {
        lines.push(l);
        if (lines.length === 2) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const signalledAt = Date.now();
    child.kill('SIGINT');
    const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 15_000))]);
    assert.notEqual(code, 'hung', 'it stops following');
    assert.notEqual(code, 0);
    assert.ok(Date.now() - signalledAt < 15_000);
    const last = JSON.parse(lines[lines.length - 1]);
    assert.equal(last.type, 'summary');
    assert.equal(last.status, 'Cancelled');
    assert.match(stderr.join('\n'), /SIGINT: stopped following/);
    assert.match(last.reason, /keep going: execution arn:aws:states:eu-west-1:123456789012:execution:Slow:/, 'the summary names the run that goes on');
  });
});

describe('bridge run against the cloud', () => {
  it('a link in a protected environment is Refused without --yes before any credential is read: exit 1', async () => {
    const dir = tempDir('protected');
    fs.writeFileSync(
      path.join(dir, 'p.bridge.jsonc'),
      JSON.stringify({ version: 1, aws: { accountId: '123456789012', region: 'eu-west-1', profile: 'no-such-profile-anywhere' }, environments: { prod: { protected: true } }, links: { live: { trigger: 's3-to-sfn', environment: 'prod', stateMachine: { arn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:Live' }, s3: { bucket: 'b' }, identity: { awsRoleArn: 'arn:aws:iam::123456789012:role/r' } } } }),
    );
    const run = await bridge(['run', '--format', 'jsonl', dir], { env: { ...ENV, AWS_CONFIG_FILE: path.join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none') } });
    assert.equal(run.code, 1, run.stderr);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => [l.type, l.status ?? l.target]), [['run', 'cloud'], ['summary', 'Refused']]);
    assert.match(lines[1].reason, /protected environment "prod"/);
  });
});
