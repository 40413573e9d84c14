import { executionArnParts } from '../core/config/arn';
import { parseCommandArgs, quietAwsSdkNodeVersionWarning, UsageError, type CliIo } from './io';

export const SANDBOX_USAGE = `Usage: bridge sandbox [--port N] [--faults SPEC] [--wait-scale X] [--quiet] [PATH ...]

Runs the Step Functions and ADF management APIs on loopback for the bridge configs under each
PATH (default: .; the editor passes every folder of a multi-root workspace), executing the
workspace's own ASL definitions and pipeline JSON.
The first line on stdout is one JSON object:
  {"stepFunctions": "<url>", "dataFactory": "<https url>", "caCertificate": "<path to PEM>"}
Then one line per execution and run event, until SIGINT or SIGTERM.

Options:
  --port N          Step Functions port; ADF listens on N+1. 0 (default): free ports
  --faults SPEC     inject faults, e.g. throttle=0.2,error=0.05,latency=150ms
                    (sfn./adf. prefixes for one service, seed=N for repeatable runs)
  --wait-scale X    Wait states, retry intervals and ADF waits take X times as long
                    (0 < X <= 1, default 0.01: shortened, never skipped)
  --quiet           print only the first line
  -h, --help        show this help`;

export async function sandboxCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(args, {
    port: { type: 'string' },
    faults: { type: 'string' },
    'wait-scale': { type: 'string' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  }, SANDBOX_USAGE);
  if (parsed.values.help) {
    io.stdout(SANDBOX_USAGE);
    return 0;
  }
  const portText = parsed.values.port ?? '0';
  if (!/^\d+$/.test(portText) || Number(portText) > 65534) throw new UsageError(`--port takes a port number from 0 to 65534, not "${portText}".`);
  const scaleText = parsed.values['wait-scale'];
  const waitScale = scaleText === undefined ? undefined : Number(scaleText);
  if (waitScale !== undefined && !(waitScale > 0 && waitScale <= 1)) throw new UsageError(`--wait-scale takes a number greater than 0 and at most 1, not "${scaleText}".`);

  // PERFORMANCE: the sandbox (and the SDK-free emulators it carries) loads only for this command.
  quietAwsSdkNodeVersionWarning();
  const { startSandbox, SandboxStartError, FaultSpecError, parseFaultSpec } = await import('../sandbox/index');
  if (parsed.values.faults !== undefined) {
    try {
      parseFaultSpec(parsed.values.faults);
    } catch (e) {
      if (e instanceof FaultSpecError) throw new UsageError(`--faults: ${e.message}`);
      throw e;
    }
  }
  // Taken over before anything is made, so a signal during start-up still removes it all.
  const stopped = io.stopSignal;
  const roots = (parsed.positionals.length ? parsed.positionals : ['.']).map((p) => io.resolve(p));
  const quiet = !!parsed.values.quiet;
  const time = () => new Date().toISOString().slice(11, 23);
  let sandbox;
  try {
    sandbox = await startSandbox({
      paths: roots,
      port: Number(portText),
      faults: parsed.values.faults,
      waitScale,
      onWarning: (m) => io.stderr(`bridge sandbox: ${m}`),
      onSfnEvent: quiet ? undefined : (event, execution) => io.stdout(`${time()} sfn ${executionLabel(execution.executionArn)} #${event.id} ${event.type}`),
      onAdfEvent: quiet
        ? undefined
        : (event) => {
            if (event.type === 'pipelineRun') io.stdout(`${time()} adf ${event.run.pipelineName}/${event.run.runId} ${event.run.status}${event.run.message ? `: ${event.run.message}` : ''}`);
            else if (event.type === 'activityRun') io.stdout(`${time()} adf ${event.activityRun.pipelineName}/${event.activityRun.pipelineRunId} ${event.activityRun.activityName} ${event.activityRun.status}`);
            else io.stderr(`bridge sandbox: ${event.file}: ${event.message}`);
          },
    });
  } catch (e) {
    if (e instanceof SandboxStartError) throw new UsageError(e.message);
    throw e;
  }
  io.stdout(JSON.stringify({ stepFunctions: sandbox.stepFunctions, dataFactory: sandbox.dataFactory, caCertificate: sandbox.caCertificate }));
  const signal = await stopped;
  io.stderr(`bridge sandbox: ${signal}: stopping.`);
  await sandbox.close();
  return 0;
}

/** `StateMachine/name` of an execution ARN, for the event lines. */
function executionLabel(executionArn: string): string {
  const parts = executionArnParts(executionArn);
  return parts ? `${parts.stateMachine}/${parts.name}` : executionArn;
}
