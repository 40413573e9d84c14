/**
 * "Link…": the text edits that add a link skeleton for a discovered resource to a bridge config,
 * made with jsonc-parser's `modify` so every comment, trailing comma and the user's layout stay.
 * The skeleton holds only what is known (the trigger and the resource); the keys the trigger still
 * needs are left for the usual validation to ask for (missing-property, with its quick fixes).
 */
import { applyEdits, modify, parseTree, findNodeAtLocation, type Edit, type FormattingOptions } from 'jsonc-parser';
import type { TriggerName } from '../config/shape';
import type { DiscoveredResource } from './model';

export type { Edit, FormattingOptions };

export interface LinkSkeleton {
  /** The new link's name (unique in the config). */
  name: string;
  edits: Edit[];
  /** The config text after the edits. */
  text: string;
}

const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false } as const;

/** A link name from a resource name: `RetrainModel` → `retrain-model`, unique among `taken`. */
export function linkNameFor(resourceName: string, taken: Iterable<string>): string {
  const base =
    resourceName
      .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .toLowerCase() || 'new-link';
  const names = new Set(taken);
  if (!names.has(base)) return base;
  for (let i = 2; ; i++) if (!names.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** The skeleton of a link for `resource` with `trigger`: only what is known. */
export function linkSkeleton(resource: DiscoveredResource, trigger: TriggerName): Record<string, unknown> {
  const link: Record<string, unknown> = { trigger };
  if (resource.kind === 'pipeline') {
    link.adf = { pipeline: resource.name };
    link.stateMachine = {};
  } else {
    if (trigger !== 's3-to-sfn') link.adf = {};
    link.stateMachine = { arn: resource.arn };
  }
  if (trigger === 's3-to-sfn') link.s3 = {};
  if (trigger === 'adf-to-sfn') link.gateway = {};
  link.identity = {};
  return link;
}

/**
 * The edits that add a link for `resource` to the config `text`. Undefined when the text is not a
 * JSON object at its root (nothing safe to edit: the user fixes the syntax first).
 */
export function addLinkEdits(text: string, resource: DiscoveredResource, trigger: TriggerName, formatting: FormattingOptions): LinkSkeleton | undefined {
  const root = parseTree(text, [], PARSE_OPTIONS);
  if (root?.type !== 'object') return undefined;
  const links = findNodeAtLocation(root, ['links']);
  if (links && links.type !== 'object') return undefined;
  const taken = (links?.children ?? []).map((p) => p.children?.[0]?.value as string);
  const name = linkNameFor(resource.name, taken);
  const edits = modify(text, ['links', name], linkSkeleton(resource, trigger), { formattingOptions: formatting, getInsertionIndex: (props) => props.length });
  return { name, edits, text: applyEdits(text, edits) };
}
