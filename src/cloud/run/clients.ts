/**
 * The clients a run uses, and the one way the engine calls them: within the API's shared budget,
 * with transient failures retried, the run's AbortSignal passed to every SDK call, and each call
 * counted (tests and the bench hold the engine to its cost).
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { DataFactoryManagementClient } from '@azure/arm-datafactory';
import { budgetFor, callWithBudget, type ApiBudget, type ApiName } from './budget';

export interface RunClients {
  sfn: SFNClient;
  adf: DataFactoryManagementClient;
  /** For the gateway's access log; created on first need when absent. */
  logs?: CloudWatchLogsClient;
  resourceGroup: string;
  factoryName: string;
}

/** Counts of API calls by `api.operation` (every attempt, retries included). */
export type CallCounts = Map<string, number>;

export class ApiCaller {
  private readonly budgets: Record<ApiName, ApiBudget>;

  constructor(
    endpoint: string,
    private readonly signal: AbortSignal,
    readonly counts: CallCounts = new Map(),
  ) {
    this.budgets = { sfn: budgetFor('sfn', endpoint), adf: budgetFor('adf', endpoint), logs: budgetFor('logs', endpoint) };
  }

  call<T>(api: ApiName, operation: string, fn: (signal: AbortSignal) => Promise<T>, maxAttempts?: number): Promise<T> {
    const key = `${api}.${operation}`;
    return callWithBudget(this.budgets[api], () => fn(this.signal), {
      signal: this.signal,
      maxAttempts,
      onAttempt: () => this.counts.set(key, (this.counts.get(key) ?? 0) + 1),
    });
  }
}
