/**
 * Fault injection for the sandbox services: `--faults throttle=0.2,error=0.05,latency=150ms`.
 *
 * One spec serves both services. Each of `throttle`, `error` and `latency` may be given globally
 * or for one service (`sfn.throttle=0.5`, `adf.error=0.1`; a service value overrides the global
 * one). `seed=N` makes the decisions repeatable: every service draws from its own seeded stream, so
 * the n-th request to a service always gets the same decision whatever the other service does.
 *
 * This module decides; each service renders the decision in its own protocol (Step Functions:
 * 400 ThrottlingException / 500 InternalFailure; Data Factory: 429 + Retry-After / 500 ARM error).
 *
 * `deny=ACTION` (repeatable) refuses one action every time, as a missing permission would:
 * an IAM action (`states:StartExecution`, `states:GetExecutionHistory`, `sts:AssumeRole`) gets
 * AccessDenied, an Azure RBAC action (`Microsoft.DataFactory/factories/pipelines/createRun/action`)
 * gets ARM's 403 AuthorizationFailed — so the clients' "what permission is missing" path can be tested.
 */

export type FaultService = 'sfn' | 'adf';
export const FAULT_SERVICES: readonly FaultService[] = ['sfn', 'adf'];

export interface ServiceFaults {
  /** Probability (0..1) that a request is throttled. */
  throttle: number;
  /** Probability (0..1) that a request fails with a server error. */
  error: number;
  /** Added delay before every request is answered: a fixed value or a [min, max] range, in ms. */
  latencyMs: [number, number];
}

export interface FaultSpec {
  seed?: number;
  services: Record<FaultService, ServiceFaults>;
  /** Actions always refused (IAM `service:Action` or Azure RBAC `Microsoft.X/…`), as given. */
  deny?: string[];
}

/** `states:StartExecution`, `sts:AssumeRole`, or `Microsoft.DataFactory/factories/pipelines/createRun/action`. */
const DENY_ACTION = /^(?:[a-z0-9-]+:[A-Za-z0-9*]+|Microsoft\.[A-Za-z]+(?:\/[A-Za-z0-9*]+)+)$/;

export type FaultDecision =
  | { kind: 'none'; latencyMs: 0 }
  | { kind: 'latency'; latencyMs: number }
  | { kind: 'throttle'; latencyMs: number }
  | { kind: 'error'; latencyMs: number };

/** A fault spec that cannot be used; the message names the bad part and the accepted form. */
export class FaultSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}

const USAGE = 'expected comma-separated key=value pairs such as "throttle=0.2,error=0.05,latency=150ms,seed=7"; ' +
  'keys: throttle, error (probabilities 0..1), latency (e.g. 150ms, 1s, 100-300ms), seed (integer), ' +
  'each of throttle/error/latency optionally prefixed with "sfn." or "adf."; ' +
  'deny=ACTION (repeatable) refuses an IAM action such as states:StartExecution or an Azure action such as Microsoft.DataFactory/factories/pipelines/createRun/action';

function parseProbability(part: string, value: string): number {
  if (!/^(?:\d+(?:\.\d*)?|\.\d+)$/.test(value)) {
    throw new FaultSpecError(`Bad fault "${part}": "${value}" is not a probability; use a number from 0 to 1 (e.g. 0.2).`);
  }
  const n = Number(value);
  if (n < 0 || n > 1) throw new FaultSpecError(`Bad fault "${part}": ${value} is outside 0..1; use a probability such as 0.2.`);
  return n;
}

function parseDuration(part: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(value);
  if (!m) throw new FaultSpecError(`Bad fault "${part}": "${value}" is not a duration; use e.g. 150ms, 2s or a range 100-300ms.`);
  const n = Number(m[1]) * (m[2] === 's' ? 1000 : 1);
  if (n > 60_000) throw new FaultSpecError(`Bad fault "${part}": ${value} is longer than 60s; use a shorter latency.`);
  return Math.round(n);
}

function parseLatency(part: string, value: string): [number, number] {
  const range = /^([^-]+)-([^-]+)$/.exec(value);
  if (!range) {
    const ms = parseDuration(part, value);
    return [ms, ms];
  }
  // "100-300ms": the unit of the upper bound applies to a bare lower bound.
  const unit = /(ms|s)$/.exec(range[2])?.[1] ?? '';
  const low = parseDuration(part, /(ms|s)$/.test(range[1]) ? range[1] : range[1] + unit);
  const high = parseDuration(part, range[2]);
  if (low > high) throw new FaultSpecError(`Bad fault "${part}": the range starts above its end; write it low-high (e.g. 100-300ms).`);
  return [low, high];
}

/** Parses a fault spec; throws FaultSpecError with a message naming the bad part. Empty text = no faults. */
export function parseFaultSpec(text: string): FaultSpec {
  const global: Partial<ServiceFaults> = {};
  const perService: Record<FaultService, Partial<ServiceFaults>> = { sfn: {}, adf: {} };
  let seed: number | undefined;
  const deny: string[] = [];
  const seen = new Set<string>();
  for (const raw of text.split(',')) {
    const part = raw.trim();
    if (part === '') {
      if (text.trim() === '') continue;
      throw new FaultSpecError(`Bad fault spec "${text}": it has an empty entry (two commas or a trailing comma); ${USAGE}.`);
    }
    const eq = part.indexOf('=');
    if (eq <= 0) throw new FaultSpecError(`Bad fault "${part}": missing "="; ${USAGE}.`);
    const key = part.slice(0, eq).trim().toLowerCase();
    const value = part.slice(eq + 1).trim();
    if (key === 'deny') {
      if (!DENY_ACTION.test(value)) {
        throw new FaultSpecError(`Bad fault "${part}": "${value}" is not an action; use an IAM action such as states:StartExecution or an Azure action such as Microsoft.DataFactory/factories/pipelines/createRun/action.`);
      }
      deny.push(value);
      continue;
    }
    if (seen.has(key)) throw new FaultSpecError(`Bad fault "${part}": "${key}" is given twice; keep one.`);
    seen.add(key);
    if (key === 'seed') {
      if (!/^\d+$/.test(value) || Number(value) > 0xffffffff) {
        throw new FaultSpecError(`Bad fault "${part}": the seed must be a whole number from 0 to 4294967295.`);
      }
      seed = Number(value);
      continue;
    }
    const dot = key.indexOf('.');
    const service = dot > 0 ? key.slice(0, dot) : undefined;
    const name = dot > 0 ? key.slice(dot + 1) : key;
    if (service !== undefined && !FAULT_SERVICES.includes(service as FaultService)) {
      throw new FaultSpecError(`Bad fault "${part}": unknown service "${service}"; use "sfn." or "adf." (or no prefix for both).`);
    }
    const target = service === undefined ? global : perService[service as FaultService];
    switch (name) {
      case 'throttle':
        target.throttle = parseProbability(part, value);
        break;
      case 'error':
        target.error = parseProbability(part, value);
        break;
      case 'latency':
        target.latencyMs = parseLatency(part, value);
        break;
      default:
        throw new FaultSpecError(`Bad fault "${part}": unknown key "${name}"; ${USAGE}.`);
    }
  }
  const services = {} as Record<FaultService, ServiceFaults>;
  for (const s of FAULT_SERVICES) {
    const merged: ServiceFaults = {
      throttle: perService[s].throttle ?? global.throttle ?? 0,
      error: perService[s].error ?? global.error ?? 0,
      latencyMs: perService[s].latencyMs ?? global.latencyMs ?? [0, 0],
    };
    if (merged.throttle + merged.error > 1) {
      throw new FaultSpecError(`Bad fault spec "${text}": for ${s}, throttle (${merged.throttle}) + error (${merged.error}) exceed 1; lower one of them.`);
    }
    services[s] = merged;
  }
  const spec: FaultSpec = seed === undefined ? { services } : { seed, services };
  if (deny.length) spec.deny = deny;
  return spec;
}

/** mulberry32: small, fast, good enough to spread faults; deterministic for a seed. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Decides, request by request, which fault (if any) a service injects. */
export class FaultInjector {
  readonly spec: FaultSpec;
  private readonly random: Record<FaultService, () => number>;

  constructor(spec: FaultSpec | string) {
    this.spec = typeof spec === 'string' ? parseFaultSpec(spec) : spec;
    const seed = this.spec.seed;
    this.random = {
      sfn: seed === undefined ? Math.random : seededRandom(seed),
      // A different stream per service, still fixed by the one seed.
      adf: seed === undefined ? Math.random : seededRandom((seed ^ 0x9e3779b9) >>> 0),
    };
  }

  /** Whether `action` is refused (IAM actions and Azure actions compare case-insensitively, as both clouds do). */
  denies(action: string): boolean {
    return !!this.spec.deny?.some((d) => d.toLowerCase() === action.toLowerCase());
  }

  /** True when the spec injects nothing at all (callers may skip the per-request call). */
  get inactive(): boolean {
    return !this.spec.deny?.length && FAULT_SERVICES.every((s) => {
      const f = this.spec.services[s];
      return f.throttle === 0 && f.error === 0 && f.latencyMs[1] === 0;
    });
  }

  /** Call once per incoming request. Delay the answer by `latencyMs` whatever the kind. */
  decide(service: FaultService): FaultDecision {
    const f = this.spec.services[service];
    const rnd = this.random[service];
    const [low, high] = f.latencyMs;
    const latencyMs = high === 0 ? 0 : low === high ? low : Math.round(low + rnd() * (high - low));
    const roll = f.throttle > 0 || f.error > 0 ? rnd() : 1;
    if (roll < f.throttle) return { kind: 'throttle', latencyMs };
    if (roll < f.throttle + f.error) return { kind: 'error', latencyMs };
    if (latencyMs > 0) return { kind: 'latency', latencyMs };
    return { kind: 'none', latencyMs: 0 };
  }
}
