/**
 * Finding the far side of a run by its correlation id: the execution a pipeline's gateway call
 * started, or the pipeline run a state machine's HTTP task started. Each poll's search is
 * bounded (pages and describes), and what was ruled out is not asked about again.
 */
import type { LinkModel } from '../../core/config/model';
import { executionArnOf, isExecutionName, unqualifiedStateMachineArn } from '../../core/config/arn';
import { correlationIdAt, correlationOf } from '../../core/correlation';
import type { ApiCaller, RunClients } from './clients';
import { apiErrorFacts } from './errors';

/** Executions started this long before the run began still count (clock skew between clouds). */
const SKEW_MS = 60_000;
const MAX_LIST_PAGES = 3;
const MAX_DESCRIBES_PER_POLL = 20;
const MAX_QUERY_PAGES = 10;

export class ExecutionFinder {
  private readonly ruledOut = new Set<string>();
  private nameMissing = false;

  constructor(
    private readonly link: LinkModel,
    private readonly correlationId: string,
    private readonly startedAt: number,
    private readonly clients: RunClients,
    private readonly caller: ApiCaller,
  ) {}

  /**
   * The execution carrying the correlation id: named by it, else the one a gateway answer named
   * (`hints`), else (when `scan`, or when the id cannot be a name) one started since the run
   * began whose input has the id at sfnInputPath.
   */
  async find(hints: string[], scan: boolean): Promise<string | undefined> {
    const sdk = require('@aws-sdk/client-sfn') as typeof import('@aws-sdk/client-sfn');
    const machineArn = this.link.stateMachine?.arn && unqualifiedStateMachineArn(this.link.stateMachine.arn);
    if (!machineArn) return undefined;
    if (isExecutionName(this.correlationId)) {
      const byName = executionArnOf(machineArn, this.correlationId)!;
      try {
        await this.caller.call('sfn', 'DescribeExecution', (abortSignal) => this.clients.sfn.send(new sdk.DescribeExecutionCommand({ executionArn: byName }), { abortSignal }));
        return byName;
      } catch (e) {
        if (apiErrorFacts(e).code !== 'ExecutionDoesNotExist') throw e;
        this.nameMissing = true;
      }
    }
    for (const arn of hints) if (!this.ruledOut.has(arn) && (await this.carriesId(arn))) return arn;
    if (!scan && isExecutionName(this.correlationId)) return undefined;
    // Not named by the id (a gateway integration that does not set the name): look at the inputs
    // of the executions started since the run began, newest first.
    let nextToken: string | undefined;
    let describes = 0;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const list = await this.caller.call('sfn', 'ListExecutions', (abortSignal) =>
        this.clients.sfn.send(new sdk.ListExecutionsCommand({ stateMachineArn: machineArn, maxResults: 100, nextToken }), { abortSignal }),
      );
      let older = false;
      for (const ex of list.executions ?? []) {
        if (!ex.executionArn || this.ruledOut.has(ex.executionArn)) continue;
        if ((ex.startDate?.getTime() ?? Infinity) < this.startedAt - SKEW_MS) {
          older = true;
          break;
        }
        if (describes++ >= MAX_DESCRIBES_PER_POLL) return undefined;
        if (await this.carriesId(ex.executionArn)) return ex.executionArn;
      }
      nextToken = list.nextToken;
      if (older || !nextToken) break;
    }
    return undefined;
  }

  /** Whether an execution's input carries the id; an execution that does not is ruled out for good. */
  private async carriesId(executionArn: string): Promise<boolean> {
    const sdk = require('@aws-sdk/client-sfn') as typeof import('@aws-sdk/client-sfn');
    let input: unknown;
    try {
      const d = await this.caller.call('sfn', 'DescribeExecution', (abortSignal) => this.clients.sfn.send(new sdk.DescribeExecutionCommand({ executionArn }), { abortSignal }));
      input = d.input ? JSON.parse(d.input) : undefined;
    } catch (e) {
      if (e instanceof SyntaxError || apiErrorFacts(e).code === 'ExecutionDoesNotExist') {
        this.ruledOut.add(executionArn);
        return false;
      }
      throw e;
    }
    const found = correlationIdAt(input, correlationOf(this.link).sfnInputPath) === this.correlationId;
    if (!found) this.ruledOut.add(executionArn);
    return found;
  }

  /** For the reason of a run whose far side never started. */
  get searchedByName(): boolean {
    return this.nameMissing;
  }
}

/** The run of the link's pipeline whose correlation parameter is the id: by pipeline and time window, paged. */
export async function findPipelineRun(link: LinkModel, correlationId: string, startedAt: number, clients: RunClients, caller: ApiCaller, now: number): Promise<string | undefined> {
  const pipeline = link.adf?.pipeline;
  if (!pipeline) return undefined;
  const parameter = correlationOf(link).adfParameter;
  let continuationToken: string | undefined;
  for (let page = 0; page < MAX_QUERY_PAGES; page++) {
    const result = await caller.call('adf', 'pipelineRuns.queryByFactory', (abortSignal) =>
      clients.adf.pipelineRuns.queryByFactory(
        clients.resourceGroup,
        clients.factoryName,
        {
          lastUpdatedAfter: new Date(startedAt - SKEW_MS),
          lastUpdatedBefore: new Date(now + SKEW_MS),
          filters: [{ operand: 'PipelineName', operator: 'Equals', values: [pipeline] }],
          continuationToken,
        },
        { abortSignal },
      ),
    );
    const run = (result.value ?? []).find((r) => r.parameters?.[parameter] === correlationId);
    if (run?.runId) return run.runId;
    continuationToken = result.continuationToken;
    if (!continuationToken) return undefined;
  }
  return undefined;
}
