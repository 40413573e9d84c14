import type { RunEvent, RunStartLine, RunSummaryLine } from '../../core/run/events';
import { renderTextLine } from '../../core/run/render';
import { redactSecrets } from '../../core/redact';

/**
 * The "Bridge Runs" log's lines: the run stream rendered as `bridge run` prints it (the one text
 * renderer, src/core/run/render.ts, which redacts), each line starting with the run's correlation
 * id in brackets, so a search or the channel's filter finds a whole run. Failures are logged at
 * error level, so the channel paints them red and its level filter can isolate them; the log
 * grammar (syntaxes/bridge-run-log.injection.tmLanguage.json) colours the sides.
 */
export type LogLevel = 'info' | 'warn' | 'error';

export interface LogLine {
  level: LogLevel;
  text: string;
}

const FAILED = /^(Failed|TimedOut|Aborted|Cancelled)$/;

export function startLine(line: RunStartLine): LogLine[] {
  return lines('info', line.correlationId, renderTextLine(line));
}

export function eventLine(e: RunEvent): LogLine[] {
  const failed = (typeof e.status === 'string' && FAILED.test(e.status)) || (typeof e.status === 'number' && e.status >= 400) || /(Failed|TimedOut|Aborted)$/.test(e.kind) || !!e.error;
  return lines(failed ? 'error' : 'info', e.correlationId, renderTextLine(e));
}

export function summaryLine(s: RunSummaryLine): LogLine[] {
  return lines(s.status === 'Succeeded' ? 'info' : s.status === 'Refused' ? 'warn' : 'error', s.correlationId, renderTextLine(s));
}

export function noticeLine(correlationId: string, message: string): LogLine[] {
  return lines('warn', correlationId, redactSecrets(message));
}

function lines(level: LogLevel, correlationId: string, text: string): LogLine[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => ({ level, text: `[${correlationId}] ${l.trim()}` }));
}
