/** RunFilterParameters (queryPipelineRuns / queryActivityruns): filters, orderBy, paging. */
import { createHash } from 'node:crypto';
import { ArmRequestError } from './arm-error';

export interface RunQueryFilter {
  operand: string;
  operator: string;
  values: string[];
}

export interface RunQueryOrderBy {
  orderBy: string;
  order?: string;
}

export interface RunFilterParameters {
  lastUpdatedAfter: number;
  lastUpdatedBefore: number;
  filters: RunQueryFilter[];
  orderBy: RunQueryOrderBy[];
  continuationToken?: string;
}

const OPERATORS = new Set(['Equals', 'NotEquals', 'In', 'NotIn']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseDate(v: unknown, name: string): number {
  const ms = typeof v === 'string' ? Date.parse(v) : NaN;
  if (!Number.isFinite(ms)) {
    throw new ArmRequestError(400, 'BadRequest', `RunFilterParameters.${name} is required and must be an ISO 8601 date-time (e.g. "2018-06-16T00:36:44.3345758Z"); got ${JSON.stringify(v)}.`);
  }
  return ms;
}

/** Validates the request body against the operands/orderBy fields the query accepts. */
export function parseRunFilter(body: unknown, operands: readonly string[], orderFields: readonly string[]): RunFilterParameters {
  if (!isObject(body)) throw new ArmRequestError(400, 'BadRequest', 'The request body must be RunFilterParameters: { "lastUpdatedAfter": "...", "lastUpdatedBefore": "...", "filters": [...], "orderBy": [...] }.');
  const filters: RunQueryFilter[] = [];
  for (const f of Array.isArray(body.filters) ? body.filters : body.filters === undefined || body.filters === null ? [] : [null]) {
    if (!isObject(f)) throw new ArmRequestError(400, 'BadRequest', 'Each filter must be { "operand": ..., "operator": ..., "values": [...] }.');
    const operand = String(f.operand ?? '');
    const operator = String(f.operator ?? '');
    if (!operands.includes(operand)) throw new ArmRequestError(400, 'BadRequest', `Filter operand '${operand}' is not supported here; use one of ${operands.join(', ')}.`);
    if (!OPERATORS.has(operator)) throw new ArmRequestError(400, 'BadRequest', `Filter operator '${operator}' is not supported; use Equals, NotEquals, In or NotIn.`);
    if (!Array.isArray(f.values) || f.values.length === 0) throw new ArmRequestError(400, 'BadRequest', `Filter on '${operand}' needs a non-empty "values" array.`);
    if ((operator === 'Equals' || operator === 'NotEquals') && f.values.length !== 1) throw new ArmRequestError(400, 'BadRequest', `Filter on '${operand}' with operator ${operator} takes exactly one value; use In/NotIn for several.`);
    filters.push({ operand, operator, values: f.values.map((v) => String(v)) });
  }
  const orderBy: RunQueryOrderBy[] = [];
  for (const o of Array.isArray(body.orderBy) ? body.orderBy : []) {
    if (!isObject(o) || !orderFields.includes(String(o.orderBy))) throw new ArmRequestError(400, 'BadRequest', `orderBy must name one of ${orderFields.join(', ')}.`);
    const order = String(o.order ?? 'ASC').toUpperCase();
    if (order !== 'ASC' && order !== 'DESC') throw new ArmRequestError(400, 'BadRequest', `order must be ASC or DESC; got ${JSON.stringify(o.order)}.`);
    orderBy.push({ orderBy: String(o.orderBy), order });
  }
  return {
    lastUpdatedAfter: parseDate(body.lastUpdatedAfter, 'lastUpdatedAfter'),
    lastUpdatedBefore: parseDate(body.lastUpdatedBefore, 'lastUpdatedBefore'),
    filters,
    orderBy,
    continuationToken: typeof body.continuationToken === 'string' && body.continuationToken ? body.continuationToken : undefined,
  };
}

/** A row plus how to read each operand / order field from it. */
export interface QueryRow<T> {
  item: T;
  lastUpdatedMs: number;
  field(name: string): string | number | boolean | undefined;
}

function matches(value: string | number | boolean | undefined, filter: RunQueryFilter): boolean {
  const asText = value === undefined ? '' : String(value);
  const hit = filter.values.some((v) => {
    if (typeof value === 'number') return Date.parse(v) === value || Number(v) === value;
    return v.toLowerCase() === asText.toLowerCase();
  });
  return filter.operator === 'Equals' || filter.operator === 'In' ? hit : !hit;
}

function queryHash(q: RunFilterParameters): string {
  return createHash('sha256')
    .update(JSON.stringify([q.filters, q.orderBy]))
    .digest('hex')
    .slice(0, 16);
}

export function runQuery<T>(rows: QueryRow<T>[], q: RunFilterParameters, pageSize: number, defaultOrder: RunQueryOrderBy): { value: T[]; continuationToken?: string } {
  let offset = 0;
  if (q.continuationToken) {
    let token: unknown;
    try {
      token = JSON.parse(Buffer.from(q.continuationToken, 'base64url').toString('utf8'));
    } catch {
      token = undefined;
    }
    if (!isObject(token) || typeof token.o !== 'number' || token.h !== queryHash(q)) {
      throw new ArmRequestError(400, 'BadRequest', 'continuationToken was not issued for this query; pass the token from the previous page together with the same filters and orderBy.');
    }
    offset = token.o;
  }
  const selected = rows.filter((r) => r.lastUpdatedMs >= q.lastUpdatedAfter && r.lastUpdatedMs <= q.lastUpdatedBefore && q.filters.every((f) => matches(r.field(f.operand), f)));
  const order = q.orderBy.length ? q.orderBy : [defaultOrder];
  const indexed = selected.map((r, i) => ({ r, i }));
  indexed.sort((a, b) => {
    for (const o of order) {
      const x = a.r.field(o.orderBy);
      const y = b.r.field(o.orderBy);
      if (x === y) continue;
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      if (c !== 0) return o.order === 'DESC' ? -c : c;
    }
    return a.i - b.i;
  });
  const page = indexed.slice(offset, offset + pageSize).map((e) => e.r.item);
  const next = offset + pageSize < indexed.length ? Buffer.from(JSON.stringify({ o: offset + pageSize, h: queryHash(q) })).toString('base64url') : undefined;
  return next ? { value: page, continuationToken: next } : { value: page };
}
