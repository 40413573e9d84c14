import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';

export const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const SAMPLES = path.join(ROOT, 'samples');

export interface SandboxProcess {
  stepFunctions: string;
  dataFactory: string;
  caCertificate: string;
  caPem: string;
  lines: string[];
  stderr: string[];
  child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts the packaged `bridge sandbox` (bin/bridge.js → dist/) and reads its first stdout line. */
export function startSandboxProcess(args: string[], timeoutMs = 30_000): Promise<SandboxProcess> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'bridge.js'), 'sandbox', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  readline.createInterface({ input: child.stderr! }).on('line', (l) => stderr.push(l));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bridge sandbox printed no first line within ${timeoutMs} ms; stderr: ${stderr.join('\n')}`));
    }, timeoutMs);
    const rl = readline.createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      lines.push(line);
      if (lines.length !== 1) return;
      clearTimeout(timer);
      try {
        const first = JSON.parse(line);
        resolve({
          ...first,
          caPem: readFileSync(first.caCertificate, 'utf8'),
          lines,
          stderr,
          child,
          stop: async (signal = 'SIGTERM') => {
            child.kill(signal);
            return exited;
          },
        });
      } catch (e) {
        reject(new Error(`first line is not JSON: ${line} (${(e as Error).message})`));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      if (lines.length === 0) reject(new Error(`bridge sandbox exited ${code} before its first line; stderr: ${stderr.join('\n')}`));
    });
  });
}
