import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BridgeConfigModel, LinkModel } from '../core/config/model';
import { correlationIdAt, correlationOf, injectCorrelationId, newCorrelationId } from '../core/correlation';
import { SfnApiError, type StepFunctionsService } from './stepfunctions/service';
import { parseJsonBounded, readRequestBody, sizeInWords } from './http-input';

const MAX_EVENT_BYTES = 256 * 1024;

/**
 * s3-to-sfn: `POST /_sandbox/s3-events` with an S3 "Object Created" event as EventBridge delivers
 * it (`detail.bucket.name`, `detail.object.key`). Each s3-to-sfn link whose bucket, prefix and
 * suffix match starts its state machine with the event as input, as the EventBridge rule would.
 * A `correlationId` in the event is kept; otherwise a fresh one is injected at the link's path.
 * Answers `{ "started": [{ link, executionArn }] }`.
 */
export class S3EventRouter {
  private readonly links: LinkModel[];

  constructor(
    private readonly sfn: StepFunctionsService,
    configs: BridgeConfigModel[],
  ) {
    this.links = configs.flatMap((c) => c.links.filter((l) => l.trigger === 's3-to-sfn' && l.s3?.bucket && l.stateMachine?.arn));
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST') return send(405, { message: 'POST an S3 "Object Created" event to this URL.' });
    let body;
    try {
      body = await readRequestBody(req, MAX_EVENT_BYTES);
    } catch {
      return void res.destroy(); // the client went away mid-body: nobody to answer
    }
    if (!body.ok) return send(413, { message: `The event is ${body.bytes} bytes, larger than the ${sizeInWords(MAX_EVENT_BYTES)} EventBridge delivers.` });
    const parsed = parseJsonBounded(body.text, 'The event');
    if (!parsed.ok) {
      return send(400, { message: parsed.reason === 'depth' ? parsed.message : 'The body is not JSON: send an S3 "Object Created" event as EventBridge delivers it.' });
    }
    const event = parsed.value as { detail?: { bucket?: { name?: string }; object?: { key?: string } } } | null;
    const bucket = event?.detail?.bucket?.name;
    const key = event?.detail?.object?.key;
    if (typeof bucket !== 'string' || typeof key !== 'string') {
      return send(400, { message: 'The event has no detail.bucket.name and detail.object.key: send an S3 "Object Created" event as EventBridge delivers it.' });
    }
    const started: { link: string; executionArn: string; correlationId: string }[] = [];
    try {
      for (const link of this.links) {
        const s3 = link.s3!;
        if (s3.bucket !== bucket || (s3.prefix && !key.startsWith(s3.prefix)) || (s3.suffix && !key.endsWith(s3.suffix))) continue;
        const path = correlationOf(link).sfnInputPath;
        const correlationId = correlationIdAt(event, path) ?? newCorrelationId();
        const input = injectCorrelationId(event, path, correlationId);
        const { executionArn } = await this.sfn.startExecution({ stateMachineArn: link.stateMachine!.arn!, name: correlationId, input: JSON.stringify(input) });
        started.push({ link: link.name, executionArn, correlationId });
      }
    } catch (e) {
      // An API error is the caller's to fix and says so; anything else is the sandbox's own
      // failure, whose internal message means nothing to the caller.
      if (e instanceof SfnApiError) return send(400, { message: e.message, started });
      return send(500, { message: `The sandbox failed to start the state machine for s3://${bucket}/${key}. This is a bug in bridge; please report it with the event you sent.`, started });
    }
    send(started.length ? 200 : 404, started.length ? { started } : { message: `No s3-to-sfn link matches s3://${bucket}/${key}.`, started });
  }
}
