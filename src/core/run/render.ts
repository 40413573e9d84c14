/**
 * The two renderers of the run stream: JSON Lines (shared/spec/run-stream.md, one object a line)
 * and text for people. Both redact values that look like secrets first.
 */
import { redactSecrets } from '../redact';
import type { RunEvent, RunLine, RunStartLine, RunSummaryLine } from './events';

/** A copy of a line with every string that can carry user data redacted (ids and ARNs kept). */
export function redactLine<T extends RunLine>(line: T): T {
  const out = { ...line } as Record<string, unknown>;
  for (const key of ['name', 'reason', 'payloadSource', 'route', 'caller'] as const) {
    if (typeof out[key] === 'string') out[key] = redactSecrets(out[key] as string);
  }
  if (out.error) out.error = redactDeep(out.error);
  if (out.detail !== undefined) out.detail = redactDeep(out.detail);
  return out as T;
}

function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (depth > 64 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, depth + 1);
  return out;
}

/** One JSON Lines line (without the newline). */
export function renderJsonLine(line: RunLine): string {
  return JSON.stringify(redactLine(line));
}

export interface TextRenderOptions {
  /** Where the configs are shown from (paths are printed relative to it). */
  color?: boolean;
}

/** A line of text for people (without the newline). */
export function renderTextLine(line: RunLine, options: TextRenderOptions = {}): string {
  const l = redactLine(line);
  switch (l.type) {
    case 'run':
      return renderStart(l);
    case 'event':
      return renderEvent(l, options);
    case 'summary':
      return renderSummary(l, options);
  }
}

function renderStart(l: RunStartLine): string {
  const where = [l.trigger, l.environment && `environment ${l.environment}`, l.target === 'sandbox' ? 'sandbox' : 'cloud'].filter(Boolean).join(', ');
  return `▶ ${l.link} (${where}, ${l.config})\n  correlation id ${l.correlationId}${l.payloadSource ? `, payload: ${l.payloadSource}` : ''}`;
}

function renderEvent(e: RunEvent, options: TextRenderOptions): string {
  const time = e.time.slice(11, 23);
  const source = e.source.padEnd(8);
  let what: string;
  if (e.source === 'adf') {
    const who = e.kind === 'pipeline' ? `pipeline ${e.name ?? '?'} (run ${short(e.pipelineRunId)})` : `${e.name ?? '?'} (${e.activityType ?? 'activity'})`;
    what = `${who} ${e.status ?? ''}`.trim();
  } else if (e.source === 'sfn') {
    what = `#${e.eventId} ${e.kind}${e.name ? ` ${e.name}` : ''}`;
  } else {
    what = `${e.route ?? 'request'} → ${e.status ?? '?'}${e.latencyMs !== undefined ? ` in ${e.latencyMs} ms` : ''}${e.throttled ? ' (throttled)' : ''}${e.caller ? ` by ${e.caller}` : ''} · request id ${e.requestId ?? e.id}`;
  }
  const error = e.error ? `: ${[e.error.code, e.error.message].filter(Boolean).join(': ')}` : '';
  const late = e.late ? ' (late)' : '';
  const text = `  ${time}  ${source}${what}${oneLine(error, 300)}${late}`;
  if (!options.color) return text;
  const failed = /Failed|TimedOut|Aborted|Cancelled/.test(String(e.status ?? e.kind));
  return failed ? `\x1b[31m${text}\x1b[0m` : text;
}

function renderSummary(s: RunSummaryLine, options: TextRenderOptions): string {
  const ok = s.status === 'Succeeded';
  const mark = ok ? '✔' : '✘';
  const ids = [s.pipelineRunId && `pipeline run ${s.pipelineRunId}`, s.executionArn && `execution ${s.executionArn}`].filter(Boolean).join(', ');
  const head = `${mark} ${s.status} · ${s.events} event${s.events === 1 ? '' : 's'}${ids ? ` · ${ids}` : ''}`;
  const reason = s.reason ? `\n  ${s.reason}` : '';
  const still = s.stillRunning?.length ? `\n  Still running: ${s.stillRunning.join(', ')}` : '';
  const text = `${head}${reason}${still}\n`;
  if (!options.color) return text;
  return `${ok ? '\x1b[32m' : '\x1b[31m'}${text}\x1b[0m`;
}

function short(id: string | undefined): string {
  return id ? id.slice(0, 8) : '?';
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
