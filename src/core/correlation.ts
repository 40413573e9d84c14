import { randomUUID } from 'node:crypto';
import type { LinkModel } from './config/model';

/** Where a link carries the correlation id when its config does not say (shared/spec/bridge-config.md). */
export const CORRELATION_DEFAULTS = Object.freeze({ adfParameter: 'correlationId', sfnInputPath: '$.correlationId' });

/** A link's correlation settings, the defaults filled in: the one place they are decided. */
export function correlationOf(link: Pick<LinkModel, 'correlation'>): { adfParameter: string; sfnInputPath: string } {
  return {
    adfParameter: link.correlation?.adfParameter ?? CORRELATION_DEFAULTS.adfParameter,
    sfnInputPath: link.correlation?.sfnInputPath ?? CORRELATION_DEFAULTS.sfnInputPath,
  };
}

/**
 * The correlation id joins an ADF run and a Step Functions execution. A fresh one per test run; it
 * is valid as an execution name (AWS: 1-80 characters, no spaces or special characters).
 */
export function newCorrelationId(): string {
  return randomUUID();
}

/** The field names of a simple JSONPath such as `$.correlationId`, `$.meta.id` or `$['a b']`. */
export function jsonPathSegments(jsonPath: string): string[] | undefined {
  if (!jsonPath.startsWith('$')) return undefined;
  const segments: string[] = [];
  const re = /\.([A-Za-z_][A-Za-z0-9_-]*)|\['([^']+)'\]/y;
  let i = 1;
  while (i < jsonPath.length) {
    re.lastIndex = i;
    const m = re.exec(jsonPath);
    if (!m) return undefined;
    segments.push(m[1] ?? m[2]);
    i = re.lastIndex;
  }
  return segments.length ? segments : undefined;
}

/** A copy of `input` with `id` written at `jsonPath` (objects created on the way). */
export function injectCorrelationId(input: unknown, jsonPath: string, id: string): unknown {
  const segments = jsonPathSegments(jsonPath);
  if (!segments) throw new Error(`"${jsonPath}" is not a JSONPath to a field, such as $.correlationId.`);
  const root: Record<string, unknown> = isRecord(input) ? structuredClone(input) : {};
  let node = root;
  for (const key of segments.slice(0, -1)) {
    if (!isRecord(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[segments[segments.length - 1]] = id;
  return root;
}

/** The correlation id at `jsonPath` in `input`, if it is a string there. */
export function correlationIdAt(input: unknown, jsonPath: string | undefined): string | undefined {
  const segments = jsonPathSegments(jsonPath ?? CORRELATION_DEFAULTS.sfnInputPath);
  let node: unknown = input;
  for (const key of segments ?? []) {
    if (!isRecord(node)) return undefined;
    node = node[key];
  }
  return typeof node === 'string' ? node : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
