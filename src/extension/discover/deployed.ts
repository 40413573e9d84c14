/**
 * A status report as the Links tree stores it (no VS Code here: unit-tested with the Links model).
 * Lives in the lazy discover bundle so the activation bundle holds only the store and the drawing.
 */
import { endSummary, type StatusReport } from '../../core/status/model';
import type { DeployedEndStatus } from '../links/model';

/** Each end of a report, keyed for the tree: a state machine is the `sfn` end, a pipeline the `adf` end. */
export function deployedEnds(report: StatusReport, checkedAt = new Date().toISOString()): DeployedEndStatus[] {
  return report.links.flatMap((l) =>
    l.ends.map((end) => ({ config: l.config, link: l.link, kind: end.kind === 'stateMachine' ? ('sfn' as const) : ('adf' as const), state: end.state, summary: endSummary(end), message: end.message, checkedAt, end })),
  );
}
