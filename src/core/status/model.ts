/**
 * Live status of each link's ends: does the state machine exist, what status and type, is its
 * deployed definition the local one; is the pipeline published, is the published JSON the repo's;
 * the last run of each. Built by src/cloud/status (cloud or sandbox), printed by `bridge status`
 * and shown in the editor's tree.
 */
import type { DriftResult } from './drift';

export type EndKind = 'stateMachine' | 'pipeline';

/**
 * `in-sync`: found and matches the local file; `drift`: found, differs; `missing`: not deployed;
 * `unchecked`: found, nothing local to compare with (no definition file, unreadable JSON);
 * `error`: could not be asked (permissions, sign-in, network).
 */
export type EndState = 'in-sync' | 'drift' | 'missing' | 'unchecked' | 'error';

export interface LastRun {
  id: string;
  status: string;
  /** ISO time the run started. */
  start?: string;
}

export interface EndStatus {
  kind: EndKind;
  /** State machine ARN or pipeline name. */
  name: string;
  state: EndState;
  /** State machine: ACTIVE / DELETING. */
  status?: string;
  /** State machine: STANDARD / EXPRESS. */
  type?: string;
  /** The local file compared with the deployed definition. */
  localFile?: string;
  drift?: DriftResult;
  lastRun?: LastRun;
  /** Why the last run could not be read (a missing permission): one line. */
  lastRunError?: string;
  /** What is wrong and what to do, one line (state error/missing/unchecked, or a note on drift). */
  message?: string;
  /** Pipelines: a test run of this link would run something other than the branch. */
  runsOtherThanBranch?: boolean;
}

export interface LinkStatus {
  config: string;
  link: string;
  ends: EndStatus[];
}

export interface StatusReport {
  links: LinkStatus[];
}

/** Whether an end needs the user: drifted, not deployed, or not checkable. */
export function isProblem(end: EndStatus): boolean {
  return end.state === 'drift' || end.state === 'missing' || end.state === 'error';
}

/** `bridge status` exit code: 0 every end found and in sync (or with nothing local to compare), 1 otherwise. */
export function statusExitCode(report: StatusReport): 0 | 1 {
  return report.links.some((l) => l.ends.some(isProblem)) ? 1 : 0;
}

/** One line for an end: what the tree shows as its description and the CLI prints. */
export function endSummary(end: EndStatus): string {
  const run = end.lastRun ? `; last run ${end.lastRun.status}${end.lastRun.start ? ` ${end.lastRun.start}` : ''}` : end.lastRunError ? '; last run unknown' : '; no runs yet';
  switch (end.state) {
    case 'in-sync':
      return end.kind === 'stateMachine' ? `${end.status ?? 'ACTIVE'} ${end.type ?? ''}, in sync${run}`.replace(/ ,/, ',') : `published, in sync${run}`;
    case 'drift':
      return `${end.kind === 'stateMachine' ? `${end.status ?? 'ACTIVE'} ${end.type ?? ''}, ` : 'published, '}DRIFT: ${end.drift?.differences.length ?? 0}${end.drift?.truncated ? '+' : ''} difference${end.drift?.differences.length === 1 ? '' : 's'} from ${end.localFile ?? 'the local file'}${run}`.replace(/ ,/, ',');
    case 'missing':
      return end.message ?? 'not deployed';
    case 'unchecked':
      return `found${end.status ? ` (${end.status}${end.type ? ` ${end.type}` : ''})` : ''}; ${end.message ?? 'not compared'}${run}`;
    default:
      return end.message ?? 'could not be checked';
  }
}

/** The note a drifted or unpublished pipeline gets: ADF runs only what is published. */
export function publishedPipelineNote(pipeline: string, state: 'drift' | 'missing'): string {
  return state === 'missing'
    ? `Pipeline "${pipeline}" is not published in the factory: ADF runs only published pipelines, so a test run cannot start it until you publish (or merge to the collaboration branch and publish).`
    : `A test run of "${pipeline}" runs the PUBLISHED pipeline, not your branch: ADF runs only published pipelines. Publish your changes first to test them.`;
}
