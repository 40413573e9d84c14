import { readBridgeConfig, type BridgeConfigModel } from '../core/config/model';
import { stateMachineLabel } from '../core/config/arn';
import { findBridgeConfigs } from '../core/lint/engine';
import { nodeFileHost, readTextFileSync } from '../core/node-host';
import { redactSecrets } from '../core/redact';
import { describeDifference, driftPatch } from '../core/status/drift';
import { endSummary, isProblem, statusExitCode, type EndStatus, type StatusReport } from '../core/status/model';
import { displayPath } from './format';
import { parseCommandArgs, quietAwsSdkNodeVersionWarning, UsageError, type CliIo } from './io';
import { terminalMfaPrompt, type SandboxFirstLine } from './sign-in';

export const STATUS_USAGE = `Usage: bridge status [--sandbox | --sandbox-endpoints JSON] [--link NAME] [--format text|json] [PATH]

Checks each link's ends where they are deployed: the state machine exists, its status and type,
its deployed definition compared with the local "definition" file; the pipeline is published in
the factory, its published JSON compared with the repo's; the last run of each. Compared
semantically: key order, formatting and the defaults ADF fills in on publish do not count.

Options:
  --sandbox                  start the embedded sandbox for PATH and check against it
  --sandbox-endpoints JSON   check against a running sandbox: the first line "bridge sandbox"
                             printed (or a file holding it)
  --link NAME                only this link
  --format text|json         text (default) or one JSON document
  -h, --help                 show this help

Against the cloud it signs in as "bridge run" does: the config's aws.profile (or AWS_PROFILE, or
the default chain) and the Azure CLI's sign-in (or a service principal, workload or managed
identity) for azure.tenantId.

Exit codes: 0 every end found and in sync, 1 a drift, a missing end or a check that failed,
2 bad usage or a sign-in problem.`;

export async function statusCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(args, {
    sandbox: { type: 'boolean' },
    'sandbox-endpoints': { type: 'string' },
    link: { type: 'string' },
    format: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, STATUS_USAGE);
  if (parsed.values.help) {
    io.stdout(STATUS_USAGE);
    return 0;
  }
  const format = parsed.values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format takes text or json, not "${format}".\n\n${STATUS_USAGE}`);
  if (parsed.values.sandbox && parsed.values['sandbox-endpoints'] !== undefined) throw new UsageError('Give --sandbox (start one) or --sandbox-endpoints (attach to a running one), not both.');
  if (parsed.positionals.length > 1) throw new UsageError(`bridge status takes one PATH, not ${parsed.positionals.length}.`);
  const attached = parsed.values['sandbox-endpoints'] !== undefined ? readSandboxEndpoints(parsed.values['sandbox-endpoints'], io) : undefined;

  const root = io.resolve(parsed.positionals[0] ?? '.');
  const configs: BridgeConfigModel[] = [];
  for (const p of await findBridgeConfigs([root], nodeFileHost)) configs.push(readBridgeConfig(p, (await nodeFileHost.readFile(p)) ?? ''));
  if (!configs.length) throw new UsageError(`No bridge configs (*.bridge.jsonc, *.bridge.json) under ${root}.`);
  const link = parsed.values.link;
  if (link && !configs.some((c) => c.links.some((l) => l.name === link))) throw new UsageError(`No link "${link}" in the bridge configs under ${root}.`);

  quietAwsSdkNodeVersionWarning();
  // PERFORMANCE: the SDKs (and the sandbox) load only for this command.
  const cloud = await import('../cloud/index');
  let started: Awaited<ReturnType<typeof import('../sandbox/index').startSandbox>> | undefined;
  if (parsed.values.sandbox) {
    const { startSandbox, SandboxStartError } = await import('../sandbox/index');
    try {
      started = await startSandbox({ paths: [root], onWarning: (m) => io.stderr(`bridge status: ${m}`) });
    } catch (e) {
      if (e instanceof SandboxStartError) throw new UsageError(e.message);
      throw e;
    }
  }
  const sandbox = started ? { stepFunctions: started.stepFunctions, dataFactory: started.dataFactory, caPem: started.caPem } : attached;
  const debug = !!io.env.BRIDGE_DEBUG;
  try {
    const mfaCode = sandbox ? undefined : terminalMfaPrompt(io);
    if (!sandbox) {
      const problem = await cloud.checkCloudSignIn(configs, { env: io.env, mfaCode, links: link ? [link] : undefined });
      if (problem) {
        io.stderr(`bridge status: ${problem.line}`);
        if (debug) io.stderr(redactSecrets(problem.detail));
        return 2;
      }
    }
    const report = await cloud.collectStatus(configs, {
      host: nodeFileHost,
      links: link ? [link] : undefined,
      clientsFor: (config) => cloud.createClientsForConfig(config, { sandbox, env: io.env, mfaCode }),
      errorContext: cloud.errorContextOf,
      onDetail: debug ? (d) => io.stderr(redactSecrets(d)) : undefined,
    });
    io.stdout(format === 'json' ? formatStatusJson(report) : formatStatusText(report, io.cwd));
    return statusExitCode(report);
  } finally {
    await started?.close();
  }
}

/** `--sandbox-endpoints`: the JSON of `bridge sandbox`'s first line, inline or in a file. */
function readSandboxEndpoints(value: string, io: CliIo): { stepFunctions: string; dataFactory: string; caPem: string } {
  let text = value.trim();
  if (!text.startsWith('{')) {
    // The one safe reader: a FIFO or a device named here must not hang the command.
    const read = readTextFileSync(io.resolve(text));
    if (!read.ok) throw new UsageError(`--sandbox-endpoints takes the first line "bridge sandbox" printed ({"stepFunctions": …}) or a file holding it; "${value}" ${read.reason}.`);
    text = read.text.split(/\r?\n/)[0];
  }
  let first: Partial<SandboxFirstLine>;
  try {
    first = JSON.parse(text);
  } catch {
    throw new UsageError('--sandbox-endpoints is not JSON: pass the first line "bridge sandbox" printed, quoted, e.g. --sandbox-endpoints "$(head -1 sandbox.out)".');
  }
  for (const key of ['stepFunctions', 'dataFactory', 'caCertificate'] as const) {
    if (typeof first[key] !== 'string') throw new UsageError(`--sandbox-endpoints needs "${key}" (the first line "bridge sandbox" printed has stepFunctions, dataFactory and caCertificate).`);
  }
  const ca = readTextFileSync(first.caCertificate!);
  if (!ca.ok) throw new UsageError(`The sandbox's CA certificate ${first.caCertificate} ${ca.reason}: is that sandbox still running?`);
  const caPem = ca.text;
  return { stepFunctions: first.stepFunctions!, dataFactory: first.dataFactory!, caPem };
}

const MAX_PATCH_LINES = 60;

export function formatStatusText(report: StatusReport, cwd: string): string {
  const lines: string[] = [];
  let lastConfig = '';
  let ends = 0;
  let problems = 0;
  for (const l of report.links) {
    if (l.config !== lastConfig) {
      lines.push(displayPath(l.config, cwd));
      lastConfig = l.config;
    }
    lines.push(`  ${l.link}`);
    for (const end of l.ends) {
      ends++;
      if (isProblem(end)) problems++;
      const mark = isProblem(end) ? '✘' : end.state === 'unchecked' ? '•' : '✔';
      lines.push(`    ${mark} ${endLabel(end)}: ${endSummary(end)}`);
      if (end.state === 'drift' && end.drift) {
        for (const d of end.drift.differences.slice(0, 10)) lines.push(`        ${describeDifference(d)}`);
        if (end.drift.differences.length > 10 || end.drift.truncated) lines.push('        … more differences (the diff below has them all)');
        const patch = driftPatch(end.drift, `deployed/${shortName(end)}`, end.localFile ? displayPath(end.localFile, cwd) : 'local').split('\n').filter((x) => x !== '');
        // The first lines of a unified patch are the "Index"/"===" header of the diff library.
        const body = patch.filter((x) => !/^(Index:|={5,})/.test(x));
        for (const p of body.slice(0, MAX_PATCH_LINES)) lines.push(`        ${p}`);
        if (body.length > MAX_PATCH_LINES) lines.push(`        … ${body.length - MAX_PATCH_LINES} more lines (--format json has the whole diff)`);
      }
      if (end.message && (end.state === 'drift' || end.state === 'in-sync')) lines.push(`        ${end.message}`);
      if (end.lastRunError) lines.push(`        ${end.lastRunError}`);
    }
  }
  lines.push(problems ? `${problems} of ${ends} end${ends === 1 ? '' : 's'} need attention.` : `All ${ends} end${ends === 1 ? '' : 's'} found${report.links.some((l) => l.ends.some((e) => e.state === 'unchecked')) ? '' : ' and in sync'}.`);
  return redactSecrets(lines.join('\n'));
}

export function formatStatusJson(report: StatusReport): string {
  const doc = {
    links: report.links.map((l) => ({
      config: l.config,
      link: l.link,
      ends: l.ends.map((e) => ({
        kind: e.kind,
        name: e.name,
        state: e.state,
        status: e.status,
        type: e.type,
        localFile: e.localFile,
        lastRun: e.lastRun,
        lastRunError: e.lastRunError,
        message: e.message,
        runsOtherThanBranch: e.runsOtherThanBranch,
        differences: e.drift && !e.drift.inSync ? e.drift.differences : undefined,
        diff: e.drift && !e.drift.inSync ? driftPatch(e.drift, `deployed/${shortName(e)}`, e.localFile ?? 'local') : undefined,
      })),
    })),
    exitCode: statusExitCode(report),
  };
  return redactSecrets(JSON.stringify(doc, null, 2));
}

function endLabel(end: EndStatus): string {
  return end.kind === 'stateMachine' ? `state machine ${shortName(end)}` : `pipeline ${end.name}`;
}

function shortName(end: EndStatus): string {
  return end.kind === 'stateMachine' ? stateMachineLabel(end.name) : end.name;
}
