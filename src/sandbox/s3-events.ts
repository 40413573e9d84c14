import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BridgeConfigModel, LinkModel } from '../core/config/model';
import { correlationIdAt, correlationOf, injectCorrelationId, newCorrelationId } from '../core/correlation';
import type { StepFunctionsService } from './stepfunctions/service';

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
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_EVENT_BYTES) return send(413, { message: 'The event is larger than 256 KiB.' });
      chunks.push(chunk as Buffer);
    }
    let event: { detail?: { bucket?: { name?: string }; object?: { key?: string } } };
    try {
      event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(400, { message: 'The body is not JSON: send an S3 "Object Created" event as EventBridge delivers it.' });
    }
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
      return send(400, { message: (e as Error).message, started });
    }
    send(started.length ? 200 : 404, started.length ? { started } : { message: `No s3-to-sfn link matches s3://${bucket}/${key}.`, started });
  }
}
