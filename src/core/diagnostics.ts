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
  /**
   * The other side of a cross-file mismatch (the gateway.url an activity's url must equal, the
   * pipeline parameters a correlation parameter is looked up in): LSP `relatedInformation`,
   * SARIF `relatedLocations`, `related` in the CLI's JSON.
   */
  related?: RelatedLocation[];
}

/** A place in another (or the same) file that explains a diagnostic. */
export interface RelatedLocation {
  /** Absolute path. */
  file: string;
  range: Range;
  message: string;
}

/** What a rule may add to a report beyond code, place and message. */
export interface ReportExtras {
  related?: RelatedLocation[];
}

/** A place in another (or the same) file that explains a diagnostic. */
export interface RelatedLocation {
  /** Absolute path. */
  file: string;
  range: Range;
  message: string;
}

/** What a rule may add to a report beyond code, place and message. */
export interface ReportExtras {
  /**
   * Lower than the rule's own severity, for a finding the rule cannot be sure of (a case-only
   * mismatch where the vendor documents no case rule). Never higher.
   */
  severity?: Severity;
  related?: RelatedLocation[];
}

/** What a quick fix needs; each variant names the edit it asks for. */
export type QuickFixData =
  | { kind: 'rename-key'; to: string }
  | { kind: 'replace-value'; value: string | number | boolean }
  | { kind: 'insert-property'; path: (string | number)[]; key: string; value: unknown }
  | { kind: 'declare-pipeline-parameter'; pipelineFile: string; name: string };
