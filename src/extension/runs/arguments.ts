import * as path from 'path';
import { fileURLToPath } from 'url';
import type { RunTarget } from '../../core/run/events';
import type { PayloadChoice } from '../../core/run/request';

/**
 * The argument object of `bridge.runLink` (shared/spec/editor.md), checked: a caller (a test, a
 * task, another extension) gets a rejection whose message names the field that is wrong and what
 * it takes, never a run of something it did not mean. No VS Code here.
 */
export interface RunArguments {
  /** Absolute path of the config; undefined: find the link by its name in every config. */
  config?: string;
  link: string;
  /** A file (absolute, or relative to the config's folder) or the payload itself. */
  payload?: PayloadChoice;
  target?: RunTarget;
  confirm: boolean;
}

export class RunArgumentError extends Error {
  override readonly name = 'RunArgumentError';
}

const KNOWN = new Set(['config', 'link', 'payload', 'target', 'confirm']);

/** Whether a command argument is the API's argument object (not a tree node, a URI or nothing). */
export function isRunArgumentObject(arg: unknown): arg is Record<string, unknown> {
  return typeof arg === 'object' && arg !== null && !Array.isArray(arg) && !('kind' in arg) && !('scheme' in arg);
}

export function parseRunArguments(arg: Record<string, unknown>): RunArguments {
  const unknown = Object.keys(arg).filter((k) => !KNOWN.has(k));
  if (unknown.length) {
    throw new RunArgumentError(`bridge.runLink: unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; it takes config, link, payload, target and confirm.`);
  }
  if (typeof arg.link !== 'string' || arg.link.trim() === '') {
    throw new RunArgumentError(`bridge.runLink: "link" must be the name of a link (a non-empty string), not ${describe(arg.link)}.`);
  }
  let config: string | undefined;
  if (arg.config !== undefined) {
    if (typeof arg.config !== 'string' || arg.config === '') throw new RunArgumentError(`bridge.runLink: "config" must be a bridge config's path or file URI, not ${describe(arg.config)}.`);
    config = configPath(arg.config);
  }
  let target: RunTarget | undefined;
  if (arg.target !== undefined) {
    if (arg.target !== 'sandbox' && arg.target !== 'cloud') throw new RunArgumentError(`bridge.runLink: "target" must be "sandbox" or "cloud", not ${describe(arg.target)}.`);
    target = arg.target;
  }
  if (arg.confirm !== undefined && typeof arg.confirm !== 'boolean') {
    throw new RunArgumentError(`bridge.runLink: "confirm" must be true or false, not ${describe(arg.confirm)}.`);
  }
  let payload: PayloadChoice;
  if (typeof arg.payload === 'string') {
    if (arg.payload === '') throw new RunArgumentError('bridge.runLink: "payload" is an empty string; give a payload file\'s path, or the payload itself as an object.');
    payload = { file: arg.payload.startsWith('file:') ? fileURLToPath(arg.payload) : arg.payload };
  } else if (arg.payload !== undefined) {
    payload = { value: arg.payload };
  }
  return { config, link: arg.link, payload, target, confirm: arg.confirm === true };
}

/** A payload file named relative to the config is read from the config's folder, as `payloads` entries are. */
export function resolvePayloadFile(payload: PayloadChoice, configPath: string): PayloadChoice {
  if (payload && 'file' in payload && !path.isAbsolute(payload.file)) return { file: path.resolve(path.dirname(configPath), payload.file) };
  return payload;
}

function configPath(text: string): string {
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(text)) {
    if (!text.startsWith('file:')) throw new RunArgumentError(`bridge.runLink: "config" ${text} is not a file URI; give a path or a file:// URI.`);
    return fileURLToPath(text);
  }
  if (!path.isAbsolute(text)) throw new RunArgumentError(`bridge.runLink: "config" must be an absolute path or a file URI, not the relative path "${text}".`);
  return path.normalize(text);
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string') return `"${value.length > 60 ? `${value.slice(0, 60)}…` : value}"`;
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return `${typeof value} ${String(value)}`;
}
