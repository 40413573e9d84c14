/**
 * One request budget per API (Step Functions, ADF/ARM, CloudWatch Logs, per endpoint), shared by
 * every run of the process: a token bucket that every call draws from, that slows down when the
 * service throttles (ThrottlingException, HTTP 429 with Retry-After) and recovers while calls go
 * through. Transient failures are retried with backoff here, so one fault never ends a run.
 */
import { sleep } from '../../core/sleep';
import { apiErrorFacts } from './errors';

export type ApiName = 'sfn' | 'adf' | 'logs';

export class ApiBudget {
  private tokens: number;
  private last: number;
  /** Calls may not start before this time (a throttle's backoff or a Retry-After). */
  private pausedUntil = 0;
  private rate: number;

  constructor(
    private readonly fullRate: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.rate = fullRate;
    this.tokens = burst;
    this.last = now();
  }

  /** Waits for a token (or until `signal` aborts). */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) return;
      const t = this.now();
      this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.rate);
      this.last = t;
      const wait = Math.max(this.pausedUntil - t, this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.rate) * 1000);
      if (wait <= 0) {
        this.tokens -= 1;
        return;
      }
      await sleep(Math.ceil(wait), signal);
    }
  }

  /** The service throttled: halve the rate and pause everyone for `pauseMs`. */
  throttled(pauseMs: number): void {
    this.rate = Math.max(this.fullRate / 16, this.rate / 2);
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + pauseMs);
  }

  /** A call went through: creep back to the full rate. */
  succeeded(): void {
    if (this.rate < this.fullRate) this.rate = Math.min(this.fullRate, this.rate * 1.1);
  }
}

const budgets = new Map<string, ApiBudget>();

/** Requests a second (refill, burst) per API: below the services' documented limits. */
const LIMITS: Record<ApiName, { cloud: [number, number]; sandbox: [number, number] }> = {
  sfn: { cloud: [10, 40], sandbox: [500, 500] },
  adf: { cloud: [3, 30], sandbox: [500, 500] },
  logs: { cloud: [5, 10], sandbox: [500, 500] },
};

/** The shared budget of an API at an endpoint (`cloud`, or a sandbox URL). */
export function budgetFor(api: ApiName, endpoint: string): ApiBudget {
  const key = `${api} ${endpoint}`;
  let budget = budgets.get(key);
  if (!budget) {
    const [rate, burst] = LIMITS[api][endpoint === 'cloud' ? 'cloud' : 'sandbox'];
    budget = new ApiBudget(rate, burst);
    budgets.set(key, budget);
  }
  return budget;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Attempts before a transient failure ends the run (default 8: ~1 minute of backoff). */
  maxAttempts?: number;
  /** Called before each attempt (counts API calls for tests and the bench). */
  onAttempt?: () => void;
}

/** The signal was aborted while a call waited: the caller stops following. */
export class CallAborted extends Error {
  constructor() {
    super('Following was stopped.');
    this.name = 'CallAborted';
  }
}

/**
 * Calls `fn` within the budget; retries transient failures with exponential backoff and jitter (a
 * throttle also slows the shared budget). Any other error, or the last attempt's, is thrown.
 */
export async function callWithBudget<T>(budget: ApiBudget, fn: (signal?: AbortSignal) => Promise<T>, options: CallOptions = {}): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 8;
  for (let attempt = 1; ; attempt++) {
    await budget.acquire(options.signal);
    if (options.signal?.aborted) throw new CallAborted();
    options.onAttempt?.();
    try {
      const value = await fn(options.signal);
      budget.succeeded();
      return value;
    } catch (e) {
      if (options.signal?.aborted) throw new CallAborted();
      const facts = apiErrorFacts(e);
      if (!facts.transient || attempt >= maxAttempts) throw e;
      const backoff = Math.min(10_000, 100 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
      const wait = Math.max(backoff, facts.retryAfterMs ?? 0);
      if (facts.throttled) budget.throttled(wait);
      await sleep(wait, options.signal);
      if (options.signal?.aborted) throw new CallAborted();
    }
  }
}
