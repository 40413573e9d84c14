import { spawn, type ChildProcess } from 'child_process';
import { promises as fs } from 'fs';
import type { SandboxEndpoints } from '../../core/run/request';

/**
 * The embedded sandbox for the sandbox target: `bridge sandbox <workspace folders>` in a child
 * process, started on the first run, never inside the extension host (its ASL interpreter
 * polyfills globals, and a crash there must not take the editor's extensions with it).
 *
 * Its first stdout line is the endpoints (README, "bridge sandbox"); the rest of stdout is its own
 * event log, which the run engine already reports, so it is drained and dropped. Stderr lines are
 * warnings for the log. When a config or a file one reads changes, the sandbox is stale (it loaded
 * the old definitions); the next run restarts it, once no run is using it.
 */
export interface SandboxProcessOptions {
  /** The `bridge` CLI script (bin/bridge.js of the extension). */
  cliPath: string;
  /** The workspace folders it serves. */
  folders(): string[];
  /** Whether runs are using the current process (a stale sandbox is not restarted under them). */
  busy(): boolean;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  /** How long start-up may take before it is given up, ms. */
  startTimeoutMs?: number;
}

export class SandboxStartFailure extends Error {
  override readonly name = 'SandboxStartFailure';
}

export class SandboxProcess {
  private child: ChildProcess | undefined;
  private starting: Promise<SandboxEndpoints> | undefined;
  private stale = false;
  private disposed = false;

  constructor(private readonly options: SandboxProcessOptions) {}

  /** The running sandbox's endpoints, starting (or restarting a stale) one first. */
  async endpoints(): Promise<SandboxEndpoints> {
    if (this.disposed) throw new SandboxStartFailure('The extension is shutting down.');
    if (this.stale && this.starting && !this.options.busy()) {
      this.options.log('info', 'Sandbox: configs or the files they read changed since it started; restarting it.');
      this.stop();
    }
    this.starting ??= this.start();
    return this.starting;
  }

  /** A config or a file it reads changed on disk. */
  markStale(): void {
    if (this.starting) this.stale = true;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null;
  }

  /** The process id (tests check that it is a child of the extension host, not inside it). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  stop(): void {
    const child = this.child;
    this.child = undefined;
    this.starting = undefined;
    this.stale = false;
    if (child && child.exitCode === null) child.kill('SIGTERM');
  }

  dispose(): void {
    this.disposed = true;
    this.stop();
  }

  private start(): Promise<SandboxEndpoints> {
    const folders = this.options.folders();
    if (folders.length === 0) return Promise.reject(new SandboxStartFailure('Open a folder with bridge configs: the sandbox serves the workspace folders.'));
    this.options.log('info', `Sandbox: starting for ${folders.join(', ')}.`);
    const child = spawn(process.execPath, [this.options.cliPath, 'sandbox', '--quiet', ...folders], {
      // In desktop VS Code the extension host's executable is Electron: make it behave as Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    this.child = child;
    const stderr: string[] = [];
    return new Promise<SandboxEndpoints>((resolve, reject) => {
      let settled = false;
      const fail = (message: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (this.child === child) this.stop();
        reject(new SandboxStartFailure(message));
      };
      const timer = setTimeout(() => fail(`The sandbox did not start within ${Math.round((this.options.startTimeoutMs ?? 60_000) / 1000)} s.${lastLines(stderr)}`), this.options.startTimeoutMs ?? 60_000);
      let buffer = '';
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (chunk: string) => {
        if (settled) return; // later lines are the sandbox's own event log: drained, not kept
        buffer += chunk;
        const newline = buffer.indexOf('\n');
        if (newline < 0) return;
        const first = buffer.slice(0, newline);
        let parsed: { stepFunctions?: unknown; dataFactory?: unknown; caCertificate?: unknown };
        try {
          parsed = JSON.parse(first);
        } catch {
          fail(`The sandbox's first line is not its endpoints: ${first.slice(0, 200)}`);
          return;
        }
        if (typeof parsed.stepFunctions !== 'string' || typeof parsed.dataFactory !== 'string' || typeof parsed.caCertificate !== 'string') {
          fail(`The sandbox's first line lacks stepFunctions, dataFactory or caCertificate: ${first.slice(0, 200)}`);
          return;
        }
        const { stepFunctions, dataFactory, caCertificate } = parsed as { stepFunctions: string; dataFactory: string; caCertificate: string };
        fs.readFile(caCertificate, 'utf8').then(
          (caPem) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            this.options.log('info', `Sandbox: Step Functions at ${stepFunctions}, Data Factory at ${dataFactory} (pid ${child.pid}).`);
            resolve({ stepFunctions, dataFactory, caPem });
          },
          (e: Error) => fail(`The sandbox's CA certificate ${caCertificate} could not be read: ${e.message}`),
        );
      });
      child.stderr!.setEncoding('utf8');
      let errBuffer = '';
      child.stderr!.on('data', (chunk: string) => {
        errBuffer += chunk;
        let newline: number;
        while ((newline = errBuffer.indexOf('\n')) >= 0) {
          const line = errBuffer.slice(0, newline).trim();
          errBuffer = errBuffer.slice(newline + 1);
          if (!line) continue;
          stderr.push(line);
          if (stderr.length > 20) stderr.shift();
          this.options.log('warn', `Sandbox: ${line.replace(/^bridge sandbox: /, '')}`);
        }
      });
      child.on('error', (e) => fail(`The sandbox could not be started (${e.message}).`));
      child.on('exit', (code, signal) => {
        // A process that died cannot serve: the next run starts a new one (stop() already let go of stopped ones).
        if (this.child === child) {
          this.child = undefined;
          this.starting = undefined;
          this.stale = false;
        }
        if (!settled) fail(`The sandbox exited before it was ready (${signal ?? `exit code ${code}`}).${lastLines(stderr)}`);
        else if (!this.disposed && signal !== 'SIGTERM' && code !== 143) this.options.log('warn', `Sandbox: exited (${signal ?? `exit code ${code}`}); the next run starts it again.`);
      });
    });
  }
}

function lastLines(lines: string[]): string {
  return lines.length ? ` It said: ${lines.slice(-3).join(' / ')}` : '';
}
