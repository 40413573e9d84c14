/**
 * Drift: is what is deployed what the branch says? Compared semantically, not byte for byte:
 * key order and formatting never count, and for pipelines the defaults ADF fills in when it
 * publishes (empty `annotations`, `dependsOn`, `userProperties` …, `lastPublishTime`) do not
 * either. A drift comes with its differences by JSON path and a unified diff of both sides
 * written the same canonical way, so the user can open it.
 */
import { createTwoFilesPatch } from 'diff';

export type DefinitionKind = 'asl' | 'pipeline';

export interface Difference {
  /** JSONPath-like location: `$.States.Train.Parameters.ModelName`. */
  path: string;
  change: 'added locally' | 'missing locally' | 'changed';
  local?: unknown;
  deployed?: unknown;
}

export interface DriftResult {
  inSync: boolean;
  /** Up to MAX_DIFFERENCES differences, in document order. */
  differences: Difference[];
  /** More differences than listed. */
  truncated: boolean;
  /** Both sides as canonical JSON (sorted keys, two-space indent): what a diff view opens. */
  localCanonical: string;
  deployedCanonical: string;
}

const MAX_DIFFERENCES = 50;

/** Keys ADF's service adds or fills with an empty default on publish; absent ≡ empty for them. */
const PIPELINE_PUBLISH_NOISE = new Set(['lastPublishTime']);

/**
 * Compares a local definition with the deployed one. For `asl`, both are ASL documents; for
 * `pipeline`, both are the pipeline's `properties` (the repo file's `properties`, the published
 * resource's `properties`).
 */
export function compareDefinitions(local: unknown, deployed: unknown, kind: DefinitionKind): DriftResult {
  const l = normalize(local, kind, true);
  const d = normalize(deployed, kind, true);
  const differences: Difference[] = [];
  let count = 0;
  const add = (diff: Difference) => {
    count++;
    if (differences.length < MAX_DIFFERENCES) differences.push(diff);
  };
  walk(l, d, '$', add);
  return { inSync: count === 0, differences, truncated: count > differences.length, localCanonical: canonicalJson(l), deployedCanonical: canonicalJson(d) };
}

/** A unified diff (deployed → local) of a drift, headed by the two names. */
export function driftPatch(drift: DriftResult, deployedName: string, localName: string): string {
  return createTwoFilesPatch(deployedName, localName, drift.deployedCanonical, drift.localCanonical, 'deployed', 'local', { context: 3 });
}

/** JSON with sorted keys and two-space indent: the same value always prints the same way. */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys(value[k]);
    return out;
  }
  return value;
}

function normalize(value: unknown, kind: DefinitionKind, top: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => normalize(v, kind, false));
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (kind === 'pipeline') {
      if (top && PIPELINE_PUBLISH_NOISE.has(k)) continue;
      // ADF publishes empty lists and objects for what the repo leaves out, and the reverse.
      if (v === null || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0)) continue;
    }
    out[k] = normalize(v, kind, false);
  }
  return out;
}

function walk(local: unknown, deployed: unknown, path: string, add: (d: Difference) => void): void {
  if (isObject(local) && isObject(deployed)) {
    const keys = [...new Set([...Object.keys(local), ...Object.keys(deployed)])];
    for (const k of keys) {
      const p = `${path}${/^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`}`;
      if (!(k in deployed)) add({ path: p, change: 'added locally', local: local[k] });
      else if (!(k in local)) add({ path: p, change: 'missing locally', deployed: deployed[k] });
      else walk(local[k], deployed[k], p, add);
    }
    return;
  }
  if (Array.isArray(local) && Array.isArray(deployed)) {
    const n = Math.max(local.length, deployed.length);
    for (let i = 0; i < n; i++) {
      const p = `${path}[${i}]`;
      if (i >= deployed.length) add({ path: p, change: 'added locally', local: local[i] });
      else if (i >= local.length) add({ path: p, change: 'missing locally', deployed: deployed[i] });
      else walk(local[i], deployed[i], p, add);
    }
    return;
  }
  // Scalars compare by value; a container against a scalar (or an object against an array) differs.
  if (local !== deployed) add({ path, change: 'changed', local, deployed });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A short value for a one-line difference: `"churn"`, `3`, `{…3 keys}`, `[…2]`. */
export function shortValue(v: unknown): string {
  if (v === undefined) return '(none)';
  if (Array.isArray(v)) return `[…${v.length}]`;
  if (isObject(v)) return `{…${Object.keys(v).length} key${Object.keys(v).length === 1 ? '' : 's'}}`;
  const text = JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** One line per difference, for the CLI and the tree's tooltip. */
export function describeDifference(d: Difference): string {
  if (d.change === 'changed') return `${d.path}: deployed ${shortValue(d.deployed)}, local ${shortValue(d.local)}`;
  if (d.change === 'added locally') return `${d.path}: only in the local file (${shortValue(d.local)})`;
  return `${d.path}: only in the deployed one (${shortValue(d.deployed)})`;
}
