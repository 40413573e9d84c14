/** How a run and its activity runs look on the ARM wire (pipelineRuns get/query, queryActivityruns). */
import type { PipelineRunState } from './run-context';
import { adfTimestamp } from './timespan';
import type { ArmActivityError, ArmActivityRun, ArmPipelineRun } from './types';

export function toArmRun(run: PipelineRunState): ArmPipelineRun {
  return {
    runId: run.runId,
    runGroupId: run.runGroupId,
    isLatest: run.isLatest,
    pipelineName: run.pipeline.name,
    parameters: Object.fromEntries(Object.entries(run.parameters).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])),
    runDimensions: {},
    invokedBy: { ...run.invokedBy },
    lastUpdated: adfTimestamp(run.lastUpdatedMs),
    runStart: adfTimestamp(run.startMs),
    runEnd: run.endMs === undefined ? null : adfTimestamp(run.endMs),
    durationInMs: run.endMs === undefined ? null : run.endMs - run.startMs,
    status: run.status,
    message: run.message,
    annotations: run.annotations,
  };
}

export function activityRunsOf(run: PipelineRunState): { arm: ArmActivityRun; lastUpdatedMs: number; startMs: number }[] {
  return run.activityRuns.map((r) => ({ arm: structuredClone(r.arm), lastUpdatedMs: r.lastUpdatedMs, startMs: r.startMs }));
}

/** The error member of an activity run that did not fail. */
export function emptyError(target: string): ArmActivityError {
  return { errorCode: '', message: '', failureType: '', target, details: '' };
}
