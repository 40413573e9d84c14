import { randomUUID } from 'node:crypto';
import { correlationIdAt, correlationOf } from '../core/correlation';
import { isExecutionName } from '../core/config/arn';
import type { SandboxLogs } from './logs';
import type { BridgeConfigModel, LinkModel } from '../core/config/model';
import type { WebCallRequest, WebCallResponse } from './datafactory';
import type { StepFunctionsService } from './stepfunctions/service';
import { SfnApiError } from './stepfunctions/service';
import type { SandboxTokenIssuer } from './token';

/** One adf-to-sfn link as the emulated API Gateway route sees it. */
export interface GatewayRoute {
  config: BridgeConfigModel;
  link: LinkModel;
  url: string;
  stateMachineArn: string;
  bucket: TokenBucket | undefined;
}

/**
 * API Gateway (HTTP API, JWT authorizer, Step Functions StartExecution integration) for the
 * links' gateway URLs. What it checks is what the real route checks: a bearer token whose
 * audience is `gateway.audience` and whose issuer is `gateway.issuer`, and the route throttle.
 * Like the real one it answers every request with `x-amzn-RequestId` and writes a JSON access-log
 * entry with that id (to `gateway.accessLogGroup`, or a group named after the API), so a test
 * run joins a Web activity's call to its status and latency exactly as it does in the cloud.
 */
export class GatewayEmulator {
  private readonly routes = new Map<string, GatewayRoute>();

  constructor(
    private readonly sfn: StepFunctionsService,
    private readonly tokens: SandboxTokenIssuer,
    private readonly now: () => number = Date.now,
    private readonly logs?: SandboxLogs,
  ) {}

  addRoute(config: BridgeConfigModel, link: LinkModel): void {
    const url = link.gateway?.url;
    const arn = link.stateMachine?.arn;
    if (!url || !arn) return;
    const throttle = link.gateway?.throttle;
    this.routes.set(normaliseUrl(url), {
      config,
      link,
      url,
      stateMachineArn: arn,
      bucket: throttle ? new TokenBucket(throttle.rateLimit, throttle.burstLimit, this.now) : undefined,
    });
  }

  get size(): number {
    return this.routes.size;
  }

  /** Answers a Web activity's call when it targets a link's gateway; undefined otherwise. */
  async handle(request: WebCallRequest): Promise<WebCallResponse | undefined> {
    const route = this.routes.get(normaliseUrl(request.url));
    if (!route) return undefined;
    const requestId = randomUUID();
    const started = this.now();
    const caller: { principal?: string } = {};
    const response = await this.answer(route, request, caller);
    response.headers = { ...(response.headers ?? {}), 'x-amzn-RequestId': requestId };
    this.writeAccessLog(route, request, response.status, requestId, started, caller.principal);
    return response;
  }

  /** One entry in API Gateway's JSON access-log format ($context variables). */
  private writeAccessLog(route: GatewayRoute, request: WebCallRequest, status: number, requestId: string, started: number, principal: string | undefined): void {
    if (!this.logs) return;
    const url = new URL(route.url);
    const [, stage = '$default', ...rest] = url.pathname.split('/');
    const entry = {
      requestId,
      ip: '127.0.0.1',
      requestTime: clfTime(started),
      requestTimeEpoch: started,
      httpMethod: request.method.toUpperCase(),
      routeKey: `${request.method.toUpperCase()} /${rest.join('/')}`,
      path: url.pathname,
      stage,
      status,
      protocol: 'HTTP/1.1',
      responseLatency: Math.max(0, this.now() - started),
      ...(principal ? { principalId: principal } : {}),
    };
    this.logs.put(accessLogGroupOf(route), `${stage}-${new Date(started).toISOString().slice(0, 10)}`, JSON.stringify(entry), started);
  }

  private async answer(route: GatewayRoute, request: WebCallRequest, caller: { principal?: string }): Promise<WebCallResponse> {
    if (request.method.toUpperCase() !== 'POST') return json(404, { message: 'Not Found' });

    // JWT authorizer: 401 with API Gateway's body when the token is missing or wrong.
    const auth = Object.entries(request.headers).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
    const bearer = auth?.match(/^Bearer\s+(.+)$/i)?.[1];
    if (!bearer) return json(401, { message: 'Unauthorized' }, { 'www-authenticate': 'Bearer' });
    const verified = this.tokens.verify(bearer);
    if (!verified.ok) return json(401, { message: 'Unauthorized' }, { 'www-authenticate': `Bearer error="invalid_token", error_description="${verified.reason}"` });
    const { aud, iss, oid, sub } = verified.claims as { aud?: string; iss?: string; oid?: string; sub?: string };
    caller.principal = oid ?? sub;
    if (route.link.gateway?.audience && aud !== route.link.gateway.audience) {
      return json(401, { message: 'Unauthorized' }, { 'www-authenticate': `Bearer error="invalid_token", error_description="the audience ${aud} is not ${route.link.gateway.audience}"` });
    }
    if (route.link.gateway?.issuer && normaliseIssuer(iss) !== normaliseIssuer(route.link.gateway.issuer)) {
      return json(401, { message: 'Unauthorized' }, { 'www-authenticate': `Bearer error="invalid_token", error_description="the issuer ${iss} is not ${route.link.gateway.issuer}"` });
    }
    if (route.bucket && !route.bucket.take()) return json(429, { message: 'Too Many Requests' });

    // StartExecution integration: the request body is the execution input.
    const input = typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? {});
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch {
      return json(400, { message: 'The request body is not JSON, so it cannot be the execution input.' });
    }
    const correlationId = correlationIdAt(parsed, correlationOf(route.link).sfnInputPath);
    try {
      const started = await this.sfn.startExecution({
        stateMachineArn: route.stateMachineArn,
        name: correlationId && isExecutionName(correlationId) ? correlationId : undefined,
        input,
      });
      return json(200, { executionArn: started.executionArn, startDate: started.startDate.getTime() / 1000 });
    } catch (e) {
      if (e instanceof SfnApiError) return json(e.status >= 500 ? 500 : 400, { __type: e.code, message: e.message });
      throw e;
    }
  }
}

/** API Gateway's token bucket: `burstLimit` requests at once, refilled at `rateLimit` per second. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.rate);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** The access log group of a route: the link's `gateway.accessLogGroup`, else one named after the API id. */
export function accessLogGroupOf(route: Pick<GatewayRoute, 'link' | 'url'>): string {
  return route.link.gateway?.accessLogGroup ?? `/aws/apigateway/${new URL(route.url).hostname.split('.')[0]}/access`;
}

/** `23/Nov/2026:10:00:00 +0000`, API Gateway's $context.requestTime. */
function clfTime(ms: number): string {
  const d = new Date(ms);
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${month}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): WebCallResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body };
}

function normaliseUrl(url: string): string {
  return url.trim().replace(/\/+$/, '').replace(/^(https?:\/\/[^/]+)/i, (h) => h.toLowerCase());
}

function normaliseIssuer(iss: string | undefined): string {
  return (iss ?? '').toLowerCase().replace(/\/+$/, '');
}
