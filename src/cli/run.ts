import * as path from 'node:path';
import { pipelinePath, readBridgeConfig, type BridgeConfigModel, type LinkModel } from '../core/config/model';
import { findBridgeConfigs } from '../core/lint/engine';
import { nodeFileHost } from '../core/node-host';
import { planTestRun, TestRunError, type PipelineParameter } from '../core/testrun';
import { formatRunLogEvent } from '../core/timeline';
import { parseCommandArgs, quietAwsSdkNodeVersionWarning, UsageError, type CliIo } from './io';
import { terminalMfaPrompt } from './sign-in';

export const RUN_USAGE = `Usage: bridge run [--sandbox] [--link NAME] [--payload FILE] [--test-case NAME] [--yes] [PATH]

Starts a test run of each link under PATH (default: .), or of --link NAME: the ADF pipeline
(adf-to-sfn) or the state machine (sfn-to-adf, s3-to-sfn) with the link's first payload (or
--payload FILE, or a generated dummy), a fresh correlation id injected, then prints both sides'
events joined by that id, in time order.

Options:
  --sandbox          run against the embedded sandbox (no cloud account needed)
  --link NAME        only this link
  --payload FILE     the payload to send instead of the link's first one
  --test-case NAME   the mock test case of the state machine (sandbox only)
  --yes              confirm test runs in protected environments
  --timeout SECONDS  how long to follow each run (default 120)
  -h, --help         show this help

Exit codes: 0 every run succeeded, 1 a run failed or timed out, 2 bad usage.`;

export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(args, {
    sandbox: { type: 'boolean' },
    link: { type: 'string' },
    payload: { type: 'string' },
    'test-case': { type: 'string' },
    yes: { type: 'boolean' },
    timeout: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, RUN_USAGE);
  if (parsed.values.help) {
    io.stdout(RUN_USAGE);
    return 0;
  }
  const timeoutText = parsed.values.timeout ?? '120';
  if (!/^\d+$/.test(timeoutText) || Number(timeoutText) < 1) throw new UsageError(`--timeout takes a whole number of seconds, not "${timeoutText}".`);
  const root = io.resolve(parsed.positionals[0] ?? '.');
  const configs: BridgeConfigModel[] = [];
  for (const p of await findBridgeConfigs([root], nodeFileHost)) configs.push(readBridgeConfig(p, (await nodeFileHost.readFile(p)) ?? ''));
  const targets = configs.flatMap((config) => config.links.filter((l) => !parsed.values.link || l.name === parsed.values.link).map((link) => ({ config, link })));
  if (!targets.length) throw new UsageError(parsed.values.link ? `No link "${parsed.values.link}" in the bridge configs under ${root}.` : `No links in bridge configs under ${root}.`);
  let payloadOverride: unknown;
  if (parsed.values.payload) payloadOverride = await readJsonFile(io.resolve(parsed.values.payload), 'payload');

  quietAwsSdkNodeVersionWarning();
  // PERFORMANCE: the SDKs and the sandbox load only for this command.
  const cloud = await import('../cloud/index');
  let sandbox: Awaited<ReturnType<typeof import('../sandbox/index').startSandbox>> | undefined;
  if (parsed.values.sandbox) {
    const { startSandbox } = await import('../sandbox/index');
    sandbox = await startSandbox({ paths: [root], onWarning: (m) => io.stderr(`bridge run: ${m}`) });
  }
  // Against the cloud, sign in once before anything starts: a profile that gives no credentials
  // stops here with one line naming it and what to run (exit 2), never mid-run with a chain dump.
  const mfaCode = sandbox ? undefined : terminalMfaPrompt(io);
  if (!sandbox) {
    const problem = await cloud.checkCloudSignIn(configs, { env: io.env, mfaCode, links: targets.map((t) => t.link.name) });
    if (problem) {
      io.stderr(`bridge run: ${problem.line}`);
      if (io.env.BRIDGE_DEBUG) io.stderr(problem.detail);
      return 2;
    }
  }
  let failures = 0;
  try {
    for (const { config, link } of targets) {
      const label = `${link.name} (${link.trigger ?? 'no trigger'}, ${path.basename(config.path)})`;
      try {
        const payload = payloadOverride ?? (link.payloads[0] ? await readJsonFile(link.payloads[0], 'payload') : undefined);
        const plan = planTestRun(config, link, payload, { pipelineParameters: await pipelineParameters(config, link) });
        if (plan.kind === 'execution' && parsed.values['test-case']) plan.stateMachineArn = `${plan.stateMachineArn}#${parsed.values['test-case']}`;
        const a = config.azure;
        const endpoints = sandbox && { stepFunctions: sandbox.stepFunctions, dataFactory: sandbox.dataFactory, caPem: sandbox.caPem };
        const clients = {
          sfn: cloud.createStepFunctionsClient({ region: config.aws?.region ?? 'us-east-1', profile: config.aws?.profile, sandbox: endpoints, identity: { env: io.env, mfaCode } }),
          adf: cloud.createDataFactoryClient({ subscriptionId: a?.subscriptionId ?? '00000000-0000-0000-0000-000000000000', tenantId: a?.tenantId, cloud: a?.cloud ?? 'AzureCloud', sandbox: endpoints }),
          resourceGroup: a?.resourceGroup ?? '',
          factoryName: a?.factory ?? '',
        };
        io.stdout(`▶ ${label}: correlation id ${plan.correlationId}`);
        // The sandbox touches nothing real, so the protected-environment guard is for the cloud only.
        const started = await cloud.startTestRun(plan, clients, { confirmed: !!parsed.values.yes || !!sandbox });
        const outcome = await cloud.followRun(started, clients, {
          timeoutMs: Number(timeoutText) * 1000,
          pollMs: sandbox ? 100 : 2000,
          onEvents: (events) => events.forEach((e) => io.stdout(`  ${formatRunLogEvent(e)}`)),
        });
        io.stdout(`${outcome.status === 'Succeeded' ? '✔' : '✘'} ${link.name}: ${outcome.status}${outcome.pipelineRunId ? `, pipeline run ${outcome.pipelineRunId}` : ''}${outcome.executionArn ? `, execution ${outcome.executionArn}` : ''}\n`);
        if (outcome.status !== 'Succeeded') failures++;
      } catch (e) {
        failures++;
        io.stderr(`✘ ${label}: ${describeError(e, cloud, config)}`);
      }
    }
  } finally {
    await sandbox?.close();
  }
  io.stdout(`${targets.length - failures} of ${targets.length} test run${targets.length === 1 ? '' : 's'} succeeded.`);
  return failures ? 1 : 0;
}

async function readJsonFile(file: string, what: string): Promise<unknown> {
  const text = await nodeFileHost.readFile(file);
  if (text === undefined) throw new UsageError(`The ${what} file ${file} could not be read.`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`The ${what} file ${file} is not valid JSON (${(e as Error).message}). Run "bridge lint" for the exact place.`);
  }
}

async function pipelineParameters(config: BridgeConfigModel, link: LinkModel): Promise<Record<string, PipelineParameter>> {
  if (!config.azure?.repoRoot || !link.adf?.pipeline) return {};
  const text = await nodeFileHost.readFile(pipelinePath(config, link)!);
  try {
    return (text && JSON.parse(text)?.properties?.parameters) || {};
  } catch {
    return {};
  }
}

function describeError(e: unknown, cloud: typeof import('../cloud/index'), config: BridgeConfigModel): string {
  if (e instanceof TestRunError || e instanceof UsageError) return e.message;
  return cloud.describeCloudError(e, cloud.errorContextOf(config)).line;
}
