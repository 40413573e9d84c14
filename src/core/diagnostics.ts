import type { Range } from './text';
import type { RuleCode } from './rules/codes';

export type Severity = 'error' | 'warning' | 'info';

/**
 * One problem: stable code, severity, a message that says what is wrong and what to do, and the
 * exact range of the offending key or value in `file`.
 */
export interface BridgeDiagnostic {
  code: RuleCode;
  severity: Severity;
  message: string;
  /** Absolute path of the file the problem is reported on. */
  file: string;
  range: Range;
  /** Facts a quick fix needs (the suggested key, the declared region, …). Never shown to users. */
  fix?: QuickFixData;
}

/** What a quick fix needs; each variant names the edit it asks for. */
export type QuickFixData =
  | { kind: 'rename-key'; to: string }
  | { kind: 'replace-value'; value: string | number | boolean }
  | { kind: 'insert-property'; path: (string | number)[]; key: string; value: unknown }
  | { kind: 'declare-pipeline-parameter'; pipelineFile: string; name: string };
