/**
 * An emulated AWS STS (query protocol, XML answers) for role chains: a profile with `role_arn` +
 * `source_profile` (and `mfa_serial`) makes the SDK call AssumeRole, which a user points here with
 * `AWS_ENDPOINT_URL_STS=<the sandbox's stepFunctions URL>`. It serves AssumeRole and
 * GetCallerIdentity; the credentials it hands out are made up per call and open nothing but the
 * sandbox. `--faults deny=sts:AssumeRole` refuses the call as a trust policy would.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultInjector } from './faults';
import { readRequestBody, sizeInWords } from './http-input';

const MAX_BODY_BYTES = 64 * 1024;
const ROLE_ARN = /^arn:(aws|aws-us-gov|aws-cn):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

interface Session {
  arn: string;
  account: string;
  roleId: string;
}

export class StsEmulator {
  /** Sessions by the access key id handed out, for GetCallerIdentity. */
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly faults?: FaultInjector) {}

  /** STS requests are form-encoded POSTs; the Step Functions API is JSON. */
  static accepts(req: IncomingMessage): boolean {
    return req.method === 'POST' && /^application\/x-www-form-urlencoded/i.test(String(req.headers['content-type'] ?? ''));
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let params: URLSearchParams;
    try {
      params = new URLSearchParams(await readBody(req));
    } catch (e) {
      return sendError(res, 413, 'Sender', 'ValidationError', (e as Error).message);
    }
    const action = params.get('Action') ?? '';
    if (action && this.faults?.denies(`sts:${action}`)) {
      const caller = this.callerOf(req);
      return sendError(res, 403, 'Sender', 'AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:${action} on resource: ${params.get('RoleArn') ?? '*'}`);
    }
    if (action === 'AssumeRole') return this.assumeRole(params, res);
    if (action === 'GetCallerIdentity') {
      const caller = this.callerOf(req);
      return sendXml(res, 'GetCallerIdentity', `<Arn>${xml(caller.arn)}</Arn><UserId>${xml(caller.roleId)}</UserId><Account>${caller.account}</Account>`);
    }
    return sendError(res, 400, 'Sender', 'InvalidAction', `The sandbox's STS serves AssumeRole and GetCallerIdentity, not "${action || '(no Action)'}".`);
  }

  private assumeRole(params: URLSearchParams, res: ServerResponse): void {
    const roleArn = params.get('RoleArn') ?? '';
    const sessionName = params.get('RoleSessionName') ?? '';
    const role = ROLE_ARN.exec(roleArn);
    if (!role) return sendError(res, 400, 'Sender', 'ValidationError', `RoleArn "${roleArn}" is not an IAM role ARN (arn:aws:iam::123456789012:role/name).`);
    if (!SESSION_NAME.test(sessionName)) return sendError(res, 400, 'Sender', 'ValidationError', `RoleSessionName "${sessionName}" must be 2-64 characters of [\\w+=,.@-].`);
    const serial = params.get('SerialNumber');
    const code = params.get('TokenCode');
    if (serial && !/^\d{6}$/.test(code ?? '')) {
      return sendError(res, 403, 'Sender', 'AccessDenied', `MultiFactorAuthentication failed with invalid MFA one time pass code for ${serial}.`);
    }
    const duration = Number(params.get('DurationSeconds') ?? 3600);
    const [, partition, account, roleName] = role;
    const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
    const roleId = `AROA${randomBytes(8).toString('hex').toUpperCase()}`;
    const session: Session = { arn: `arn:${partition}:sts::${account}:assumed-role/${roleName}/${sessionName}`, account, roleId: `${roleId}:${sessionName}` };
    this.sessions.set(accessKeyId, session);
    const expiration = new Date(Date.now() + (Number.isFinite(duration) ? duration : 3600) * 1000).toISOString();
    sendXml(
      res,
      'AssumeRole',
      `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>${randomBytes(20).toString('base64url')}</SecretAccessKey>` +
        `<SessionToken>${randomBytes(48).toString('base64url')}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
        `<AssumedRoleUser><AssumedRoleId>${xml(session.roleId)}</AssumedRoleId><Arn>${xml(session.arn)}</Arn></AssumedRoleUser>`,
    );
  }

  /** Who signed the request: a session this STS made, or an unnamed user of the sandbox. */
  private callerOf(req: IncomingMessage): Session {
    const keyId = /Credential=([^/,\s]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
    return this.sessions.get(keyId) ?? { arn: 'arn:aws:iam::000000000000:user/bridge-sandbox', account: '000000000000', roleId: 'AIDABRIDGESANDBOX' };
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const body = await readRequestBody(req, MAX_BODY_BYTES);
  if (!body.ok) throw new Error(`The request body is ${body.bytes} bytes, larger than the ${sizeInWords(MAX_BODY_BYTES)} the sandbox accepts.`);
  return body.text;
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function sendXml(res: ServerResponse, action: string, result: string): void {
  const body =
    `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${action}Result>${result}</${action}Result>` +
    `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
  res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function sendError(res: ServerResponse, status: number, type: 'Sender' | 'Receiver', code: string, message: string): void {
  const body = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${xml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
  res.writeHead(status, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
