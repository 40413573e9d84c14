/**
 * Signals (issue 14): `bridge sandbox` stops on SIGTERM even while clients hold half-sent requests
 * (it ends their connections) and removes its temporary folder; `bridge lint` stops on Ctrl-C
 * while it is busy, with a non-zero exit. Each child is waited on with a bound, never a sleep.
 */
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { startSandboxProcess } from '../sandbox/harness';

const ROOT = path.resolve(__dirname, '../../../..');
const SAMPLES = path.join(ROOT, 'samples');
const BIN = path.join(ROOT, 'bin', 'bridge.js');
const EXIT_BOUND_MS = 10_000;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-signals-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** The child's exit, or undefined when it is still running after `ms` (then it is killed). */
async function exitWithin(child: ChildProcess, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  const result = await Promise.race([exitOf(child), bound]);
  clearTimeout(timer);
  if (!result) child.kill('SIGKILL');
  return result;
}

/**
 * Sends the head of a request with `Expect: 100-continue` and a few bytes of its body, and resolves
 * once the server answered "100 Continue": the request is then in its handler, waiting for a body
 * that never comes.
 */
function halfSend(socket: net.Socket, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.on('data', (chunk: Buffer) => {
      if (/^HTTP\/1\.1 100/.test(chunk.toString('latin1'))) {
        socket.write('{"stateMachineArn":');
        resolve();
      }
    });
    socket.write(`POST /?api-version=2018-06-01 HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines\r\nAuthorization: Bearer x\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n`);
  });
}

describe('bridge sandbox and signals', () => {
  test('SIGTERM with half-sent requests on both services and a stalled TLS client: exits, and its temporary folder is gone', async () => {
    const sb = await startSandboxProcess(['--port', '0', '--quiet', SAMPLES]);
    const sockets: net.Socket[] = [];
    try {
      const tempFolder = path.dirname(sb.caCertificate);
      assert.ok(fs.existsSync(tempFolder));
      const sfn = new URL(sb.stepFunctions);
      const adf = new URL(sb.dataFactory);
      const plain = net.connect(Number(sfn.port), sfn.hostname);
      sockets.push(plain);
      await new Promise<void>((resolve) => plain.once('connect', () => resolve()));
      await halfSend(plain, sfn.host);
      const secure = tls.connect({ port: Number(adf.port), host: adf.hostname, ca: sb.caPem, servername: 'localhost', checkServerIdentity: () => undefined });
      sockets.push(secure);
      await new Promise<void>((resolve) => secure.once('secureConnect', () => resolve()));
      await halfSend(secure, adf.host);
      // Connected, never starts the TLS handshake.
      const stalled = net.connect(Number(adf.port), adf.hostname);
      sockets.push(stalled);
      await new Promise<void>((resolve) => stalled.once('connect', () => resolve()));

      sb.child.kill('SIGTERM');
      const exit = await exitWithin(sb.child, EXIT_BOUND_MS);
      assert.ok(exit, `bridge sandbox was still running ${EXIT_BOUND_MS} ms after SIGTERM; stderr: ${sb.stderr.join('\n')}`);
      assert.equal(exit.code, 143, sb.stderr.join('\n'));
      assert.equal(fs.existsSync(tempFolder), false, `${tempFolder} was left behind`);
    } finally {
      for (const s of sockets) s.destroy();
      sb.child.kill('SIGKILL');
    }
  });
});

/** CPU time (user + system, ms) a Linux process has used so far, from /proc; undefined once it is gone. */
function cpuMs(pid: number): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (100 Hz)
  } catch {
    return undefined;
  }
}

describe('bridge lint and Ctrl-C', { skip: process.platform !== 'linux' ? 'reads /proc to see the child busy' : false }, () => {
  test('SIGINT while it is busy on large configs: stops at once with a non-zero exit', async () => {
    const ws = path.join(dir, 'large');
    fs.mkdirSync(ws);
    // Forty configs with 1.5 MB values: seconds of work for a linear lint (minutes for the old one),
    // so the signal lands while it is busy.
    const value = 'z'.repeat(1.5 * 1024 * 1024);
    for (let i = 0; i < 40; i++) fs.writeFileSync(path.join(ws, `c${i}.bridge.jsonc`), JSON.stringify({ version: 1, links: { x: { trigger: value, environment: value } } }));
    const child = spawn(process.execPath, [BIN, 'lint', '--format', 'json', ws], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    // Busy: past Node's start-up and into the configs (the old code had taken Ctrl-C over by then).
    const busyBy = Date.now() + 60_000;
    for (;;) {
      const used = cpuMs(child.pid!);
      if (used === undefined || child.exitCode !== null) assert.fail(`bridge lint finished before it could be interrupted (exit ${child.exitCode}); give it more to do. ${stderr}`);
      if (used >= 700) break;
      if (Date.now() > busyBy) assert.fail('bridge lint never got busy');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGINT');
    const exit = await exitWithin(child, EXIT_BOUND_MS);
    assert.ok(exit, `bridge lint was still running ${EXIT_BOUND_MS} ms after SIGINT`);
    assert.ok(exit.signal === 'SIGINT' || (exit.code !== null && exit.code !== 0), `exit ${JSON.stringify(exit)}`);
  });
});
