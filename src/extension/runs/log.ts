import type { RunEvent, RunStartLine, RunSummaryLine } from '../../core/run/events';
import { redactSecrets } from '../../core/redact';

/**
 * The "Bridge Runs" log's lines: one per run stream line, each starting with the run's correlation
 * id in brackets (so a search or a filter for it finds the whole run), the event's time in its
 * cloud, and the side in capitals (ADF, SFN, GATEWAY: the log grammar colours them). Failures are
 * logged at error level, so the channel paints them red and the log-level filter can isolate them.
 * Everything goes through redactSecrets first: error messages may carry a token or a key.
 */
export type LogLevel = 'info' | 'warn' | 'error';

export interface LogLine {
  level: LogLevel;
  text: string;
}

const FAILED = /^(Failed|TimedOut|Aborted|Cancelled)$/;

export function startLine(line: RunStartLine): LogLine {
  const where = line.target === 'sandbox' ? 'the sandbox' : 'the cloud';
  const env = line.environment ? `, environment ${line.environment}` : '';
  const payload = line.payloadSource ? `, payload: ${line.payloadSource}` : '';
  return out('info', line.correlationId, `▶ ${line.link} (${line.trigger ?? 'no trigger'}${env}) on ${where}${payload}`);
}

export function eventLine(e: RunEvent): LogLine {
  const time = e.time.length >= 23 ? e.time.slice(11, 23) : e.time;
  const late = e.late ? ' (late)' : '';
  const error = e.error ? ` — ${[e.error.code, e.error.message].filter(Boolean).join(': ')}` : '';
  let body: string;
  if (e.source === 'adf') {
    const what = e.kind === 'pipeline' ? `pipeline ${e.pipelineName ?? e.name ?? ''}` : `${e.kind} ${e.name ?? ''}${e.activityType ? ` (${e.activityType})` : ''}`;
    body = `ADF     ${what} ${e.status ?? ''}`.trimEnd() + (e.pipelineRunId ? `  run ${e.pipelineRunId}` : '');
  } else if (e.source === 'sfn') {
    body = `SFN     ${e.kind}${e.name ? ` ${e.name}` : ''}${e.eventId !== undefined ? `  #${e.eventId}` : ''}`;
  } else {
    const latency = e.latencyMs !== undefined ? ` ${e.latencyMs} ms` : '';
    body = `GATEWAY ${e.route ?? e.kind} → ${e.status ?? '?'}${latency}${e.throttled ? ' (throttled)' : ''}${e.caller ? ` caller ${e.caller}` : ''}`;
  }
  const failed = (typeof e.status === 'string' && FAILED.test(e.status)) || (typeof e.status === 'number' && e.status >= 400) || /Failed$|TimedOut$|Aborted$/.test(e.kind) || !!e.error;
  return out(failed ? 'error' : 'info', e.correlationId, `${time} ${body}${error}${late}`);
}

export function summaryLine(s: RunSummaryLine): LogLine {
  const ids = [s.pipelineRunId && `pipeline run ${s.pipelineRunId}`, s.executionArn && `execution ${s.executionArn}`].filter(Boolean).join(', ');
  const reason = s.reason ? `: ${s.reason}` : '';
  const still = s.stillRunning?.length ? ` Still running: ${s.stillRunning.join(', ')}.` : '';
  const mark = s.status === 'Succeeded' ? '✔' : '✘';
  return out(s.status === 'Succeeded' ? 'info' : s.status === 'Refused' ? 'warn' : 'error', s.correlationId, `${mark} ${s.status}${reason} (${s.events} event${s.events === 1 ? '' : 's'}${ids ? `; ${ids}` : ''})${still}`);
}

export function noticeLine(correlationId: string, message: string): LogLine {
  return out('warn', correlationId, message);
}

function out(level: LogLevel, correlationId: string, text: string): LogLine {
  return { level, text: redactSecrets(`[${correlationId}] ${text}`) };
}
