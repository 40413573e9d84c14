/** ExecutePipeline: starts a child run of a pipeline of the same factory (waitOnCompletion waits for it). */
import { evaluateDeep } from '../expressions';
import type { ActivityJson } from '../repo';
import { ActivityFailure, type ActivityHandler, CancelledError, type ExecContext, isObject, type PipelineRunState } from '../run-context';
import { ArmRequestError } from '../arm-error';

export async function executePipeline(activity: ActivityJson, tp: Record<string, unknown>, exec: ExecContext): Promise<unknown> {
  const ref = isObject(tp.pipeline) ? tp.pipeline : {};
  const name = String(ref.referenceName ?? '');
  const parameters = isObject(tp.parameters) ? (evaluateDeep(tp.parameters, exec.evalScope) as Record<string, unknown>) : {};
  exec.record.arm.input = { pipeline: { referenceName: name, type: 'PipelineReference' }, parameters, waitOnCompletion: tp.waitOnCompletion === true };
  let child: PipelineRunState;
  try {
    child = await exec.host.createRun({ pipelineName: name, parameters }, { parent: exec.run, activityName: activity.name, activityRunId: exec.record.arm.activityRunId });
  } catch (e) {
    if (e instanceof ArmRequestError) throw new ActivityFailure(e.code, e.message);
    throw e;
  }
  const output: Record<string, unknown> = { pipelineName: name, pipelineRunId: child.runId };
  if (tp.waitOnCompletion !== true) return output;
  // Cancelling the parent stops the wait; the child is cancelled only by a recursive cancel (as in ADF).
  await new Promise<void>((resolve) => {
    if (exec.signal.aborted) return resolve();
    const onAbort = () => resolve();
    exec.signal.addEventListener('abort', onAbort, { once: true });
    void child.done.then(() => {
      exec.signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
  if (exec.signal.aborted) throw new CancelledError();
  if (child.returnValue) output.pipelineReturnValue = child.returnValue;
  if (child.status !== 'Succeeded') {
    throw new ActivityFailure('2011', `Operation on target pipeline '${name}' (run ${child.runId}) ended ${child.status}: ${child.message}`, 'UserError', output);
  }
  return output;
}

export const executePipelineActivity: ActivityHandler = { control: true, run: executePipeline };
