/** `bridge run`: argument parsing and printing; the run engine (src/cloud/run/) does the rest. */
import { isProtected, readBridgeConfig, type BridgeConfigModel } from '../core/config/model';
import { findBridgeConfigs } from '../core/lint/engine';
import { nodeFileHost } from '../core/node-host';
import { parseJson } from '../core/json/jsonc';
import { SourceText } from '../core/text';
import { selectLinks } from '../core/run/select';
import { EndpointsError, readSandboxEndpoints } from '../core/run/endpoints';
import { redactLine, renderJsonLine, renderTextLine } from '../core/run/render';
import type { RunLine, RunSummaryLine } from '../core/run/events';
import type { SandboxEndpoints } from '../core/run/request';
import { parseCommandArgs, quietAwsSdkNodeVersionWarning, UsageError, type CliIo } from './io';
import { terminalMfaPrompt } from './sign-in';

export const RUN_USAGE = `Usage: bridge run [--sandbox | --sandbox-endpoints JSON] [--link NAME]... [--payload FILE]
                  [--test-case NAME] [--format text|jsonl] [--timeout SECONDS] [--yes]
                  [--timeline FILE.html] [PATH ...]

Test-runs links: starts the ADF pipeline (adf-to-sfn) or the state machine (sfn-to-adf, s3-to-sfn)
with the link's first payload (or --payload FILE, or a generated dummy) and a fresh correlation id,
then prints both sides' events (and the gateway's requests) joined by that id, in time order.
PATH: config files or folders (default: .). Without --link: every link, one run after another.

Options:
  --sandbox                 run in the embedded sandbox, started for this command
  --sandbox-endpoints JSON  run in a sandbox already running: the first line "bridge sandbox"
                            printed, or the path of a file that holds it
  --link NAME               only this link (repeatable)
  --payload FILE            the payload to send instead of the link's first one
  --test-case NAME          the mock test case of the state machine (sandbox only)
  --format text|jsonl       text (default) or JSON Lines: one run line, its events, one summary
  --timeout SECONDS         stop following a run after this long (default 900); the run goes on
  --yes                     confirm test runs in protected environments (cloud)
  --timeline FILE.html      also write each run's timeline as a self-contained HTML file
                            (several runs: one file each, the link's name inserted: FILE.<link>.html)
  -h, --help                show this help

Without --sandbox or --sandbox-endpoints the runs go to the clouds with your own credentials.
Exit codes: 0 every run succeeded; 1 a run failed, was cancelled, refused or timed out;
2 bad usage, or nothing could start (no config, a broken config, no credentials).`;

export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(args, {
    sandbox: { type: 'boolean' },
    'sandbox-endpoints': { type: 'string' },
    link: { type: 'string', multiple: true },
    payload: { type: 'string' },
    'test-case': { type: 'string' },
    format: { type: 'string' },
    yes: { type: 'boolean' },
    timeout: { type: 'string' },
    timeline: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, RUN_USAGE);
  const v = parsed.values;
  if (v.help) {
    io.stdout(RUN_USAGE);
    return 0;
  }
  const format = v.format ?? 'text';
  if (format !== 'text' && format !== 'jsonl') throw new UsageError(`--format takes text or jsonl, not "${format}".`);
  const timeoutText = v.timeout ?? '900';
  if (!/^\d+$/.test(timeoutText) || Number(timeoutText) < 1) throw new UsageError(`--timeout takes a whole number of seconds (1 or more), not "${timeoutText}".`);
  if (v.sandbox && v['sandbox-endpoints'] !== undefined) throw new UsageError('Give --sandbox (start a sandbox) or --sandbox-endpoints (use a running one), not both.');

  const paths = parsed.positionals.length ? parsed.positionals : ['.'];
  const configPaths = await findBridgeConfigs(paths.map((p) => io.resolve(p)), nodeFileHost);
  if (!configPaths.length) throw new UsageError(`No bridge configs (*.bridge.jsonc, *.bridge.json) under ${paths.join(', ')}.`);
  const configs: BridgeConfigModel[] = [];
  for (const p of configPaths) {
    const text = await nodeFileHost.readFile(p);
    if (text === undefined) throw new UsageError(`The bridge config ${p} cannot be read.`);
    const syntax = parseJson(new SourceText(p, text));
    if (syntax.root?.type !== 'object' || syntax.syntax.length) throw new UsageError(`The bridge config ${p} is not valid JSON with comments: run "bridge lint ${p}" for the exact place, fix it, and run again.`);
    configs.push(readBridgeConfig(p, text));
  }
  const selection = selectLinks(configs, v.link ?? []);
  if (selection.unknown.length) {
    const known = configs.flatMap((c) => c.links.map((l) => l.name));
    throw new UsageError(`No link ${selection.unknown.map((n) => `"${n}"`).join(', ')} in the bridge configs under ${paths.join(', ')}${known.length ? ` (links: ${known.join(', ')})` : ''}.`);
  }
  if (!selection.targets.length) throw new UsageError(`The bridge configs under ${paths.join(', ')} have no links to run.`);
  let payloadFile: string | undefined;
  if (v.payload !== undefined) {
    payloadFile = io.resolve(v.payload);
    const text = await nodeFileHost.readFile(payloadFile);
    if (text === undefined) throw new UsageError(`The payload file ${v.payload} cannot be read.`);
    try {
      JSON.parse(text);
    } catch (e) {
      throw new UsageError(`The payload file ${v.payload} is not valid JSON (${(e as Error).message}).`);
    }
  }
  let endpoints: SandboxEndpoints | undefined;
  if (v['sandbox-endpoints'] !== undefined) {
    try {
      endpoints = await readSandboxEndpoints(v['sandbox-endpoints'], nodeFileHost, io.resolve);
    } catch (e) {
      if (e instanceof EndpointsError) throw new UsageError(e.message);
      throw e;
    }
  }

  const recorded: RunLine[] = [];
  const print = (line: RunLine) => {
    if (v.timeline !== undefined) recorded.push(line);
    io.stdout(format === 'jsonl' ? renderJsonLine(line) : renderTextLine(line, { color: io.color }));
  };
  const notice = (message: string) => io.stderr(`bridge run: ${message}`);
  quietAwsSdkNodeVersionWarning();
  // PERFORMANCE: the SDKs, the engine and the sandbox load only for this command.
  const cloud = await import('../cloud/index');
  let sandbox: Awaited<ReturnType<typeof import('../sandbox/index').startSandbox>> | undefined;
  if (v.sandbox) {
    const { startSandbox, SandboxStartError } = await import('../sandbox/index');
    try {
      sandbox = await startSandbox({ paths: paths.map((p) => io.resolve(p)), onWarning: (m) => notice(m) });
    } catch (e) {
      if (e instanceof SandboxStartError) throw new UsageError(e.message);
      throw e;
    }
    endpoints = { stepFunctions: sandbox.stepFunctions, dataFactory: sandbox.dataFactory, caPem: sandbox.caPem };
  }
  // Against the cloud, sign in once before anything starts: a profile that gives no credentials
  // stops here with one line naming it and what to run (exit 2), never mid-run with a chain dump.
  const mfaCode = endpoints ? undefined : terminalMfaPrompt(io);
  // Links that will be refused (a protected environment without --yes) read no credentials.
  const signingIn = selection.targets.filter((t) => v.yes || !isProtected(t.config, t.link));
  if (!endpoints && signingIn.length) {
    const problem = await cloud.checkCloudSignIn(configs, { env: io.env, mfaCode, links: signingIn.map((t) => t.link.name) });
    if (problem) {
      await sandbox?.close();
      io.stderr(`bridge run: ${problem.line}`);
      if (io.env.BRIDGE_DEBUG) io.stderr(problem.detail);
      return 2;
    }
  }

  const stop = new AbortController();
  let stoppedBy: string | undefined;
  void io.stopSignal.then((signal) => {
    stoppedBy = signal;
    stop.abort();
  });
  const summaries: RunSummaryLine[] = [];
  try {
    for (const { config, link } of selection.targets) {
      if (stop.signal.aborted) break;
      const handle = cloud.startRun({
        config,
        link,
        payload: payloadFile ? { file: payloadFile } : undefined,
        target: endpoints ? 'sandbox' : 'cloud',
        sandbox: endpoints,
        confirm: !!v.yes,
        timeoutMs: Number(timeoutText) * 1000,
        testCase: v['test-case'],
        signal: stop.signal,
        observer: { onStart: print, onEvent: print, onSummary: print, onNotice: notice },
      }, { identity: { env: io.env, mfaCode } });
      summaries.push(await handle.result);
    }
  } finally {
    await sandbox?.close();
  }
  if (v.timeline !== undefined && recorded.length) {
    const { writeRunTimelines } = await import('./timeline-file');
    for (const file of await writeRunTimelines(io.resolve(v.timeline), recorded.map((l) => redactLine(l)))) notice(`timeline written to ${file}`);
  }
  if (stoppedBy) {
    const going = summaries.flatMap((s) => s.stillRunning ?? []);
    notice(`${stoppedBy}: stopped following${going.length ? `. Still running in ${endpoints ? 'the sandbox' : 'the cloud'}: ${going.join(', ')}` : ''}${sandbox ? ' (the sandbox started for this command is stopped, and its runs with it)' : ''}.`);
    return 1;
  }
  const ok = summaries.filter((s) => s.status === 'Succeeded').length;
  if (format === 'text') io.stdout(`${ok} of ${summaries.length} test run${summaries.length === 1 ? '' : 's'} succeeded.`);
  if (ok === summaries.length) return 0;
  // Nothing could start (no credentials, a link that cannot be planned): a usage problem, exit 2.
  const nothingStarted = summaries.every((s) => s.status === 'Failed' && !s.pipelineRunId && !s.executionArn);
  return nothingStarted ? 2 : 1;
}
