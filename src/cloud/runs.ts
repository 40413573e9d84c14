/**
 * Test runs and their correlated logs, through the SDK clients (cloud or sandbox alike): start the
 * pipeline or the state machine of a planned run, find the run it starts on the other side by
 * the correlation id, and stream both sides' events in time order, each once.
 */
import type { HistoryEvent, SFNClient } from '@aws-sdk/client-sfn';
import type { DataFactoryManagementClient } from '@azure/arm-datafactory';
import { TestRunError, type TestRunPlan } from '../core/testrun';
import { RunTimeline, type RunLogEvent } from '../core/timeline';

export interface BridgeClients {
  sfn: SFNClient;
  adf: DataFactoryManagementClient;
  resourceGroup: string;
  factoryName: string;
}

export interface StartedRun {
  plan: TestRunPlan;
  startedAt: number;
  pipelineRunId?: string;
  executionArn?: string;
}

export type RunStatus = 'Succeeded' | 'Failed' | 'Cancelled' | 'TimedOut' | 'Running';

export interface RunOutcome {
  status: RunStatus;
  pipelineRunId?: string;
  pipelineStatus?: string;
  executionArn?: string;
  executionStatus?: string;
  events: RunLogEvent[];
}

/** Starts a planned test run. A protected environment needs `confirmed`. */
export async function startTestRun(plan: TestRunPlan, clients: BridgeClients, options: { confirmed?: boolean } = {}): Promise<StartedRun> {
  if (plan.needsConfirmation && !options.confirmed) {
    throw new TestRunError(`Link "${plan.link.name}" runs in the protected environment "${plan.link.environment}": confirm the test run explicitly to start it.`);
  }
  const startedAt = Date.now();
  if (plan.kind === 'pipeline') {
    const { runId } = await clients.adf.pipelines.createRun(plan.factory.resourceGroup, plan.factory.factoryName, plan.pipelineName, { parameters: plan.parameters });
    return { plan, startedAt, pipelineRunId: runId };
  }
  const { StartExecutionCommand } = require('@aws-sdk/client-sfn') as typeof import('@aws-sdk/client-sfn');
  const out = await clients.sfn.send(new StartExecutionCommand({ stateMachineArn: plan.stateMachineArn, name: plan.name, input: JSON.stringify(plan.input) }));
  return { plan, startedAt, executionArn: out.executionArn };
}

const TERMINAL_ADF = new Set(['Succeeded', 'Failed', 'Cancelled']);
const TERMINAL_SFN = new Set(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']);

/**
 * Polls both sides until the run and the run it started are over (or `timeoutMs` passes), calling
 * `onEvents` with each batch of new events in time order.
 */
export async function followRun(
  run: StartedRun,
  clients: BridgeClients,
  options: { onEvents?: (events: RunLogEvent[]) => void; timeoutMs?: number; pollMs?: number; signal?: AbortSignal } = {},
): Promise<RunOutcome> {
  const sdk = require('@aws-sdk/client-sfn') as typeof import('@aws-sdk/client-sfn');
  const timeline = new RunTimeline();
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  const pollMs = options.pollMs ?? 500;
  const link = run.plan.link;
  let pipelineRunId = run.pipelineRunId;
  let executionArn = run.executionArn;
  let pipelineStatus: string | undefined;
  let executionStatus: string | undefined;

  for (;;) {
    const batch: RunLogEvent[] = [];
    // Find the far side by the correlation id.
    if (!executionArn && link.trigger === 'adf-to-sfn' && link.stateMachine?.arn) {
      const candidate = `${link.stateMachine.arn.replace(':stateMachine:', ':execution:')}:${run.plan.correlationId}`;
      try {
        await clients.sfn.send(new sdk.DescribeExecutionCommand({ executionArn: candidate }));
        executionArn = candidate;
      } catch (e) {
        if (!(e instanceof sdk.ExecutionDoesNotExist)) throw e;
      }
    }
    if (!pipelineRunId && link.trigger === 'sfn-to-adf' && link.adf?.pipeline) {
      const parameter = link.correlation?.adfParameter ?? 'correlationId';
      const runs = await clients.adf.pipelineRuns.queryByFactory(clients.resourceGroup, clients.factoryName, {
        lastUpdatedAfter: new Date(run.startedAt - 60_000),
        lastUpdatedBefore: new Date(Date.now() + 60_000),
        filters: [{ operand: 'PipelineName', operator: 'Equals', values: [link.adf.pipeline] }],
      });
      pipelineRunId = runs.value.find((r) => r.parameters?.[parameter] === run.plan.correlationId)?.runId;
    }
    // ADF side.
    if (pipelineRunId) {
      const pr = await clients.adf.pipelineRuns.get(clients.resourceGroup, clients.factoryName, pipelineRunId);
      pipelineStatus = pr.status;
      const runLabel = `${pr.pipelineName}/${pipelineRunId.slice(0, 8)}`;
      batch.push({ time: epochMs(pr.runStart ?? pr.lastUpdated), source: 'adf', key: `adf:${pipelineRunId}:Queued`, run: runLabel, text: `pipeline run started (parameters: ${JSON.stringify(pr.parameters ?? {})})` });
      const acts = await clients.adf.activityRuns.queryByPipelineRun(clients.resourceGroup, clients.factoryName, pipelineRunId, {
        lastUpdatedAfter: new Date(run.startedAt - 60_000),
        lastUpdatedBefore: new Date(Date.now() + 60_000),
      });
      for (const a of acts.value) {
        const started = epochMs(a.activityRunStart);
        batch.push({ time: started, source: 'adf', key: `adf:${pipelineRunId}:${a.activityRunId}:start`, run: runLabel, text: `${a.activityName} (${a.activityType}) started` });
        if (a.status && a.status !== 'InProgress' && a.status !== 'Queued') {
          const err = (a.error as { message?: string } | undefined)?.message;
          batch.push({ time: epochMs(a.activityRunEnd ?? a.activityRunStart), source: 'adf', key: `adf:${pipelineRunId}:${a.activityRunId}:${a.status}`, run: runLabel, text: `${a.activityName} ${a.status}${err ? `: ${err}` : ''}` });
        }
      }
      if (pr.status && TERMINAL_ADF.has(pr.status)) {
        batch.push({ time: epochMs(pr.runEnd ?? pr.lastUpdated), source: 'adf', key: `adf:${pipelineRunId}:${pr.status}`, run: runLabel, text: `pipeline run ${pr.status}${pr.message ? `: ${pr.message}` : ''}` });
      }
    }
    // Step Functions side.
    if (executionArn) {
      const desc = await clients.sfn.send(new sdk.DescribeExecutionCommand({ executionArn }));
      executionStatus = desc.status;
      let nextToken: string | undefined;
      const label = `${executionArn.split(':').slice(-2, -1)[0]}/${executionArn.split(':').pop()!.slice(0, 8)}`;
      do {
        const page = await clients.sfn.send(new sdk.GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 100 }));
        for (const ev of page.events ?? []) batch.push(historyEvent(executionArn, label, ev));
        nextToken = page.nextToken;
      } while (nextToken);
    }
    const fresh = timeline.add(batch);
    if (fresh.length) options.onEvents?.(fresh);

    const adfDone = !pipelineRunId || (pipelineStatus !== undefined && TERMINAL_ADF.has(pipelineStatus));
    const sfnDone = !executionArn || (executionStatus !== undefined && TERMINAL_SFN.has(executionStatus));
    const originFailed = (run.plan.kind === 'pipeline' && pipelineStatus === 'Failed') || (run.plan.kind === 'execution' && executionStatus !== undefined && executionStatus !== 'RUNNING' && executionStatus !== 'SUCCEEDED');
    const farSideExpected = link.trigger !== 's3-to-sfn';
    const farSideFound = run.plan.kind === 'pipeline' ? !!executionArn : link.trigger === 'sfn-to-adf' ? !!pipelineRunId : true;
    if (adfDone && sfnDone && (!farSideExpected || farSideFound || originFailed)) {
      const failed = pipelineStatus === 'Failed' || (executionStatus !== undefined && executionStatus !== 'SUCCEEDED');
      const cancelled = pipelineStatus === 'Cancelled' || executionStatus === 'ABORTED';
      return { status: cancelled ? 'Cancelled' : failed ? 'Failed' : 'Succeeded', pipelineRunId, pipelineStatus, executionArn, executionStatus, events: timeline.all() };
    }
    if (Date.now() > deadline || options.signal?.aborted) {
      return { status: options.signal?.aborted ? 'Cancelled' : 'TimedOut', pipelineRunId, pipelineStatus, executionArn, executionStatus, events: timeline.all() };
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

function historyEvent(executionArn: string, run: string, ev: HistoryEvent): RunLogEvent {
  const details = ev as unknown as Record<string, { name?: string; error?: string; cause?: string } | undefined>;
  const entered = ev.stateEnteredEventDetails?.name ?? ev.stateExitedEventDetails?.name;
  const failure = Object.values(details).find((d) => d && typeof d === 'object' && 'error' in d && d.error);
  return {
    time: epochMs(ev.timestamp),
    source: 'sfn',
    key: `sfn:${executionArn}:${ev.id}`,
    run,
    text: `${ev.type}${entered ? ` ${entered}` : ''}${failure ? `: ${failure.error}${failure.cause ? ` (${String(failure.cause).slice(0, 200)})` : ''}` : ''}`,
  };
}

/**
 * Milliseconds since the epoch of an SDK timestamp. The SDKs deserialize timestamps into Dates;
 * `String(date)` would keep whole seconds only, and same-second events of the two clouds would
 * then be ordered wrongly in the log.
 */
function epochMs(value: unknown): number {
  return value instanceof Date ? value.getTime() : Date.parse(String(value));
}
