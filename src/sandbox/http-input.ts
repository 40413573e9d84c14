/**
 * What every HTTP edge of the sandbox checks before it believes a request: the body's size, the
 * nesting depth of its JSON and the %-escapes of its path. The sandbox runs on the user's machine
 * and anything local can call it, so hostile input gets a 4xx in the service's own error shape —
 * never a 500 with an internal message, a reset connection, or half-made state.
 */
import type { IncomingMessage } from 'node:http';
import type { Server, Socket } from 'node:net';

/**
 * Deepest JSON (arrays and objects inside each other) the sandbox accepts, in request bodies,
 * execution inputs, S3 events and pipeline parameters. Real documents stay within a few dozen
 * levels; the interpreters, JSON.stringify and structuredClone recurse per level, and a few
 * thousand levels (10 KB of brackets) overflow the stack.
 */
export const MAX_JSON_DEPTH = 256;

/** How deeply `text` nests arrays and objects, counted without parsing; stops past `limit`. */
export function jsonTextDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return deepest;
}

/** How deeply a parsed value nests arrays and objects; stops past `limit`. Iterative: any depth is safe. */
export function valueDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > deepest) {
      deepest = depth;
      if (deepest > limit) return deepest;
    }
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** The sentence every service puts in its own error shape when JSON is nested too deeply. */
export function tooDeepMessage(what: string): string {
  return `${what} is nested more than ${MAX_JSON_DEPTH} levels deep (arrays and objects inside each other); the sandbox refuses it. Flatten the document.`;
}

export type JsonBody = { ok: true; value: unknown } | { ok: false; reason: 'syntax' | 'depth'; message: string };

/**
 * JSON.parse for text from outside, with the depth checked first (the parse itself copes, but
 * everything after it recurses). `what` names the text in the message ("The request body").
 */
export function parseJsonBounded(text: string, what: string): JsonBody {
  if (jsonTextDepth(text) > MAX_JSON_DEPTH) return { ok: false, reason: 'depth', message: tooDeepMessage(what) };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, reason: 'syntax', message: `${what} is not valid JSON: ${(e as Error).message}.` };
  }
}

export type RequestBody = { ok: true; text: string } | { ok: false; bytes: number };

/**
 * The request body as text, or how big it was when it passed `limitBytes`. Past the limit the
 * rest is read and dropped rather than the connection reset: a client (the AWS and Azure SDKs)
 * then reads the 413 it is sent, instead of seeing a reset it retries as a network fault.
 */
export function readRequestBody(req: IncomingMessage, limitBytes: number): Promise<RequestBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= limitBytes) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => resolve(bytes <= limitBytes ? { ok: true, text: Buffer.concat(chunks).toString('utf8') } : { ok: false, bytes }));
    req.on('error', reject);
    // After 'end' this is a no-op; before it, the client went away mid-body.
    req.on('close', () => reject(new Error('The client closed the connection before the request body was complete.')));
  });
}

/** Limits in words: 4194304 → "4 MiB". */
export function sizeInWords(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MiB` : bytes >= 1024 && bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}

/** The path's segments, %-decoded; undefined when an escape is malformed (`%`, `%zz`, bad UTF-8). */
export function decodePathSegments(pathname: string): string[] | undefined {
  try {
    return pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

/** `obj[key]` only when `key` is the object's own property: never `constructor`, `__proto__` or `toString` of Object.prototype. */
export function ownValue<T>(obj: Readonly<Record<string, T>> | undefined | null, key: string): T | undefined {
  return obj != null && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/**
 * The server's open sockets, from the TCP connect on, so shutdown can end them all:
 * server.close() waits for open connections, and closeAllConnections() knows only those that sent
 * a request past the TLS handshake, not a client that connected and stalled.
 */
export function trackSockets(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return sockets;
}
